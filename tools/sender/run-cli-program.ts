import { type Command, CommanderError } from "commander";
import type { CliOutput } from "./create-cli-program.ts";

/**
 * Parses `argv` and runs the chosen action. Resolves with commander's exit code for help and usage
 * errors, 1 when the action throws (printed as `error: <describeError(error)>`), else 0.
 */
export async function runCliProgram(
  program: Command,
  argv: readonly string[],
  output: Pick<CliOutput, "err">,
  describeError: (error: Error) => string = (error) => error.message,
): Promise<number> {
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    output.err(`error: ${error instanceof Error ? describeError(error) : String(error)}`);
    return 1;
  }
}
