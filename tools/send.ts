import { processOutput } from "../src/cli/process-output.ts";
import { runSendCli } from "./sender/run-send-cli.ts";

process.exitCode = await runSendCli(process.argv.slice(2), {
  ...processOutput(),
  env: process.env,
});
