import type { IncomingRequest } from "../sources/source.ts";
import { headerValue } from "./header-value.ts";

/** Svix sends `svix-*`; white-labelled Svix and other Standard Webhooks senders send `webhook-*`. */
const HEADER_PREFIXES = ["svix", "webhook"] as const;

/** Each family's header names, spelled once rather than on every request. */
const FAMILIES = HEADER_PREFIXES.map((prefix) => ({
  prefix,
  id: `${prefix}-id`,
  timestamp: `${prefix}-timestamp`,
  signature: `${prefix}-signature`,
}));

export interface SignatureHeaders {
  prefix: (typeof HEADER_PREFIXES)[number];
  id: string;
  timestamp: string;
  signatures: string;
}

export type FoundSignatureHeaders =
  | { ok: true; headers: SignatureHeaders }
  /** `missing` names the absent headers of the family that was partly sent (or of `svix-*`). */
  | { ok: false; missing: string[] };

/**
 * The one family of Standard Webhooks headers a delivery is judged by: the first complete one.
 * The verifier checks its signature, and the parser takes its id as the idempotency key, so a
 * key is always the id that was signed (an added unsigned `svix-id` cannot make a copy look new).
 */
export function findSignatureHeaders(request: IncomingRequest): FoundSignatureHeaders {
  for (const family of FAMILIES) {
    const id = headerValue(request, family.id);
    const timestamp = headerValue(request, family.timestamp);
    const signatures = headerValue(request, family.signature);
    if (id && timestamp && signatures) {
      return { ok: true, headers: { prefix: family.prefix, id, timestamp, signatures } };
    }
  }
  const found = FAMILIES.map((family) => ({
    family,
    present: [family.id, family.timestamp, family.signature].filter(
      (name) => headerValue(request, name) !== undefined,
    ),
  }));
  const partial = found.find((f) => f.present.length > 0) ?? found[0];
  const names = partial
    ? [partial.family.id, partial.family.timestamp, partial.family.signature]
    : [];
  return { ok: false, missing: names.filter((name) => !partial?.present.includes(name)) };
}
