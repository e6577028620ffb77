import { CliError } from "../../src/cli/cli-error.ts";

/**
 * `fetch`, except that a request that could not be made at all (nothing listening, an unknown host,
 * a bad URL) rejects with a `CliError`: the user's to fix, so printed without a stack. `describe`
 * words the message.
 */
export function fetchFailuresAsCliErrors(
  fetch: typeof globalThis.fetch,
  describe: (error: Error) => string = (error) => error.message,
): typeof globalThis.fetch {
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      const message = error instanceof Error ? describe(error) : String(error);
      throw new CliError(message, { cause: error });
    }
  };
}
