import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { HttpError } from "./http-error.ts";
import { requestIdOf } from "./request-id.ts";

/** Unknown paths answer JSON too, never Express's HTML page. */
export const handleNotFound: RequestHandler = (req) => {
  throw new HttpError(404, "not_found", `Nothing at ${req.method} ${req.path}.`);
};

/** The one place where errors become responses: `{ code, message }` with the right status. */
export function handleErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const httpError = toHttpError(error);
    if (httpError.status >= 500) {
      logger.error({ err: error, requestId: requestIdOf(req) }, "request failed");
    }
    if (res.headersSent) return;
    res
      .status(httpError.status)
      .set(httpError.headers)
      .json({ code: httpError.code, message: httpError.message });
  };
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  // Errors raised by Express or Node itself for a bad request carry a 4xx status of their own.
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new HttpError(status, "bad_request", (error as Error).message);
  }
  return new HttpError(500, "internal_error", "Unexpected error; the server log has the details.");
}
