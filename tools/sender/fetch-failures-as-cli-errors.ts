import { CliError } from "../../src/cli/cli-error.ts";

/**
 * `fetch`, except that a request that could not be made at all (nothing listening, an unknown host,
 * a bad URL) rejects with a `CliError`: the user's to fix, so printed without a stack. `describe`
 * words the message from the error and the URL that was tried; by default it names both.
 */
export function fetchFailuresAsCliErrors(
  fetch: typeof globalThis.fetch,
  describe: (error: Error, url: string) => string = describeFetchFailure,
): typeof globalThis.fetch {
  return async (input, init) => {
    try {
      return await fetch(input, init);
    } catch (error) {
      const url = input instanceof Request ? input.url : String(input);
      const message = error instanceof Error ? describe(error, url) : String(error);
      throw new CliError(message, { cause: error });
    }
  };
}

/** "fetch failed (ECONNREFUSED) for <url>": fetch hides the reason in `cause`. */
export function describeFetchFailure(error: Error, url: string): string {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return `${error.message}${code ? ` (${code})` : ""} for ${url}`;
}
