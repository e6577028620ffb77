import { processOutput } from "../src/cli/process-output.ts";
import { runSubscriptionsCli } from "./sender/subscriptions/run-subscriptions-cli.ts";

process.exitCode = await runSubscriptionsCli(process.argv.slice(2), {
  ...processOutput(),
  env: process.env,
  cwd: process.cwd(),
});
