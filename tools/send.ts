import { runSendCli } from "./sender/run-send-cli.ts";

process.exitCode = await runSendCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
