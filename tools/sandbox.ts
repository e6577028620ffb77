import { runSandboxCli } from "./sandbox/run-sandbox-cli.ts";

await runSandboxCli(process.argv);
