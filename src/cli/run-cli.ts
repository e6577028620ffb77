import { type Command, CommanderError } from "commander";
import { CliError } from "./cli-error.ts";
import type { CliOutput } from "./create-cli-program.ts";

/**
 * Builds the program, parses `argv` (without node and the script) and runs the chosen action.
 * Resolves with the exit code: commander's for help and usage errors (it has printed them), a
 * `CliError`'s own after printing `error: <message>`, else 0. Any other error is a bug: it rejects,
 * so that its stack reaches the terminal (or the test) instead of a one-line message.
 */
export async function runCli(
  argv: readonly string[],
  output: Pick<CliOutput, "err">,
  createProgram: () => Command,
): Promise<number> {
  try {
    await createProgram().parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (!(error instanceof CliError)) throw error;
    output.err(`error: ${error.message}`);
    return error.exitCode;
  }
}
