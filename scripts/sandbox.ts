import { runSandboxCli } from "../src/sandbox/run-sandbox-cli.ts";

await runSandboxCli(process.argv);
