// First, for its effect: `.env` joins the environment before any module below reads it.
import "./config/load-env-file.ts";
import { processOutput } from "./cli/process-output.ts";
import { runEventsCli } from "./inspect/cli/run-events-cli.ts";

process.exitCode = await runEventsCli(process.argv.slice(2), {
  ...processOutput(),
  env: process.env,
});
