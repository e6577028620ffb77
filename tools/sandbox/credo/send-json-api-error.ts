import type { Response } from "express";
import type { z } from "zod";
import { JSON_API_MEDIA_TYPE } from "../../credo-api/create-credo-client.ts";

/** Answers as Credo AI does: `{ errors: [{ code, title, detail? }] }` with the JSON:API media type. */
export function sendJsonApiError(
  res: Response,
  status: number,
  code: string,
  title: string,
  detail?: string,
): void {
  res
    .status(status)
    .type(JSON_API_MEDIA_TYPE)
    .send(JSON.stringify({ errors: [{ code, title, ...(detail ? { detail } : {}) }] }));
}

/** One JSON:API error per zod issue, pointing at the attribute. */
export function sendValidationErrors(res: Response, error: z.ZodError): void {
  const errors = error.issues.map((issue) => ({
    code: "invalid",
    title: "Invalid attribute",
    detail: `${issue.path.join(".") || "document"}: ${issue.message}`,
  }));
  res.status(422).type(JSON_API_MEDIA_TYPE).send(JSON.stringify({ errors }));
}
