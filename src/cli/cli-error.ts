export interface CliErrorOptions extends ErrorOptions {
  /** The process's exit code; 1 unless said otherwise. */
  exitCode?: number;
}

/**
 * A failure the user can fix (a missing variable, an unknown id, a server that is not running):
 * `runCli` prints it as `error: <message>`, without a stack, and exits with its code. Anything else
 * that a command throws is a bug, and keeps its stack.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;

  constructor(message: string, { exitCode = 1, ...options }: CliErrorOptions = {}) {
    super(message, options);
    this.exitCode = exitCode;
  }
}
