import type { RejectionFilter } from "../inbox/inspect-store.ts";
import { parseTimeBounds } from "./parse-time.ts";

/** The rejections filter as text, as a query string carries it. */
export interface RejectionFilterInput {
  source?: string | undefined;
  code?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

export type RejectionFilterResult =
  | { ok: true; value: RejectionFilter }
  | { ok: false; error: string };

/** Error codes are snake_case words (`signature_mismatch`, `payload_too_large`). */
const CODE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Turns text into a `RejectionFilter`; blank fields are unset; the error says which field is wrong. */
export function parseRejectionFilter(
  input: RejectionFilterInput,
  now: Date,
): RejectionFilterResult {
  const filter: RejectionFilter = {};
  const text = (value: string | undefined) => value?.trim() || undefined;
  const source = text(input.source);
  if (source) filter.source = source.slice(0, 200);
  const code = text(input.code);
  if (code) {
    if (!CODE_PATTERN.test(code)) {
      return {
        ok: false,
        error: `code must be an error code such as signature_mismatch; got "${code.slice(0, 100)}".`,
      };
    }
    filter.code = code;
  }
  const bounds = parseTimeBounds(input, now);
  if (!bounds.ok) return bounds;
  return { ok: true, value: { ...filter, ...bounds.value } };
}
