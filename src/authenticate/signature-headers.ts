import type { IncomingRequest } from "../sources/source.ts";
import { headerValue } from "./header-value.ts";

/** Svix sends `svix-*`; white-labelled Svix and other Standard Webhooks senders send `webhook-*`. */
const HEADER_PREFIXES = ["svix", "webhook"] as const;

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
  const found = HEADER_PREFIXES.map((prefix) => ({
    prefix,
    id: headerValue(request, `${prefix}-id`),
    timestamp: headerValue(request, `${prefix}-timestamp`),
    signatures: headerValue(request, `${prefix}-signature`),
  }));
  for (const { prefix, id, timestamp, signatures } of found) {
    if (id && timestamp && signatures)
      return { ok: true, headers: { prefix, id, timestamp, signatures } };
  }
  const partial = found.find((h) => h.id || h.timestamp || h.signatures) ?? found[0];
  const missing = (["id", "timestamp", "signatures"] as const)
    .filter((part) => !partial?.[part])
    .map((part) => `${partial?.prefix}-${part === "signatures" ? "signature" : part}`);
  return { ok: false, missing };
}
