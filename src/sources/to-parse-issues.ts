import type { z } from "zod";
import type { ParseIssue } from "./source.ts";

/** Flattens zod's issues into `{ path, message }` pairs that can be stored as JSON and shown. */
export function toParseIssues(error: z.ZodError): ParseIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)",
    message: issue.message,
  }));
}
