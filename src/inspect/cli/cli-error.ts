/** A failure the user can fix: `runEventsCli` prints it as `error: <message>` and exits with 1. */
export class CliError extends Error {}
