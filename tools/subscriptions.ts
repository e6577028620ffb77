import { runSubscriptionsCli } from "./sender/subscriptions/run-subscriptions-cli.ts";

process.exitCode = await runSubscriptionsCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
