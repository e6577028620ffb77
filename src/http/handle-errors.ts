import type { ServerResponse } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { HttpError } from "./http-error.ts";
import { requestIdOf } from "./request-id.ts";
import { sendJson } from "./send-json.ts";

/** Unknown paths answer JSON too, never Express's HTML page. */
export const handleNotFound: RequestHandler = (req) => {
  throw new HttpError(404, "not_found", `Nothing at ${req.method} ${req.path}.`);
};

/**
 * Express's end of the one error-to-response mapping (`toHttpError`, `sendHttpError`); the webhook
 * handler, which runs without Express, uses the same two.
 */
export function handleErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const httpError = toHttpError(error);
    if (httpError.status >= 500) {
      logger.error({ err: error, requestId: requestIdOf(req) }, "request failed");
    }
    sendHttpError(res, httpError);
  };
}

/** `{ code, message }` with the error's status and headers, unless an answer has begun. */
export function sendHttpError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) return;
  sendJson(res, error.status, { code: error.code, message: error.message }, error.headers);
}

/** Any thrown value as the error to answer with: a 500 that hides its details, unless it says more. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  // Errors raised by Express or Node itself for a bad request carry a 4xx status of their own.
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new HttpError(status, "bad_request", (error as Error).message);
  }
  return new HttpError(500, "internal_error", "Unexpected error; the server log has the details.");
}
