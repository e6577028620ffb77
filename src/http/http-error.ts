/**
 * The one error type that becomes an HTTP response. `code` is stable (clients and tests match on
 * it); `message` tells a person what to fix. Thrown anywhere on the request path, turned into JSON
 * by `sendHttpError` (from Express's `handleErrors`, and from the webhook handler).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "HttpError";
  }
}
