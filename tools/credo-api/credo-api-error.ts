import { z } from "zod";

// Credo AI's codes are integers (1000 unauthenticated, 404 not found), where JSON:API says string:
// both are read, so that neither Credo's answers nor a spec-following proxy's lose their title.
const jsonApiErrorsSchema = z.object({
  errors: z
    .array(
      z.looseObject({
        code: z.union([z.number(), z.string()]).optional(),
        title: z.string().optional(),
        detail: z.string().nullish(),
      }),
    )
    .min(1),
});

export interface JsonApiErrorEntry {
  code?: number | string | undefined;
  title?: string | undefined;
  detail?: string | null | undefined;
}

/** A Credo AI API call that did not succeed. The message carries the API's own error titles. */
export class CredoApiError extends Error {
  override readonly name = "CredoApiError";
  constructor(
    /** What was being done, e.g. `create webhook`. */
    readonly operation: string,
    readonly status: number,
    readonly errors: readonly JsonApiErrorEntry[],
  ) {
    super(`${operation} failed: ${status} ${describe(errors)}`);
  }
}

/** Reads a JSON:API error document (`{ errors: [{ code, title, detail? }] }`), or any other body. */
export function toCredoApiError(operation: string, status: number, body: unknown): CredoApiError {
  const parsed = jsonApiErrorsSchema.safeParse(body);
  if (parsed.success) return new CredoApiError(operation, status, parsed.data.errors);
  const text = typeof body === "string" ? body.slice(0, 200) : "";
  return new CredoApiError(operation, status, [
    { title: text === "" ? "no JSON:API error document in the response" : text },
  ]);
}

function describe(errors: readonly JsonApiErrorEntry[]): string {
  return errors
    .map((error) => {
      const title =
        error.title ?? (error.code === undefined ? "unknown error" : `error ${error.code}`);
      return error.detail ? `${title}: ${error.detail}` : title;
    })
    .join("; ");
}
