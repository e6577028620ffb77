import type { Response } from "express";
import type { z } from "zod";
import { JSON_API_MEDIA_TYPE } from "../../credo-api/create-credo-client.ts";

/**
 * Credo AI's error codes are integers, not JSON:API's strings. Recorded answers show 1000 with the
 * title `Unauthenticated` and 404 for an unknown id; for the other refusals the sandbox uses the
 * HTTP status as the code, as Credo AI does for 404.
 */
export const CREDO_UNAUTHENTICATED = 1000;

/** Answers as Credo AI does: `{ errors: [{ code, title, detail? }] }` with the JSON:API media type. */
export function sendJsonApiError(
  res: Response,
  status: number,
  title: string,
  detail?: string,
): void {
  const code = status === 401 ? CREDO_UNAUTHENTICATED : status;
  res
    .status(status)
    .type(JSON_API_MEDIA_TYPE)
    .send(JSON.stringify({ errors: [{ code, title, ...(detail ? { detail } : {}) }] }));
}

/** One JSON:API error per zod issue, pointing at the attribute. */
export function sendValidationErrors(res: Response, error: z.ZodError): void {
  const errors = error.issues.map((issue) => ({
    code: 422,
    title: "Invalid attribute",
    detail: `${issue.path.join(".") || "document"}: ${issue.message}`,
  }));
  res.status(422).type(JSON_API_MEDIA_TYPE).send(JSON.stringify({ errors }));
}
