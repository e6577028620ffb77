import { z } from "zod";

/** A comma-separated list, each entry trimmed; empty entries are ignored. */
export const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  );

export const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);
