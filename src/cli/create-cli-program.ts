import { Command } from "commander";

/** Where a CLI prints: one line per call, without the trailing newline. */
export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * A commander program that prints through `output` and throws instead of exiting, so that `runCli`
 * decides the exit code and tests run it in-process. Subcommands inherit these settings only if
 * added afterwards.
 */
export function createCliProgram(name: string, output: CliOutput): Command {
  return new Command(name)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.out(text.trimEnd()),
      writeErr: (text) => output.err(text.trimEnd()),
    })
    .showHelpAfterError();
}
