import type { CliOutput } from "./create-cli-program.ts";

/** The terminal: `out` writes to stdout, `err` to stderr, a line per call. */
export function processOutput(): CliOutput {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
