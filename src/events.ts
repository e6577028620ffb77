import { runEventsCli } from "./inspect/cli/run-events-cli.ts";

process.exitCode = await runEventsCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
