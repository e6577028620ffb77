import { processOutput } from "./cli/process-output.ts";
import { runEventsCli } from "./inspect/cli/run-events-cli.ts";

process.exitCode = await runEventsCli(process.argv.slice(2), {
  ...processOutput(),
  env: process.env,
});
