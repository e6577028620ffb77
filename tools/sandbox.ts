import { processOutput } from "../src/cli/process-output.ts";
import { runSandboxCli } from "./sandbox/run-sandbox-cli.ts";

process.exitCode = await runSandboxCli(process.argv.slice(2), {
  ...processOutput(),
  env: process.env,
});
