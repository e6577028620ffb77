import { SENDER_ATTEMPT_HEADERS, SENDER_ATTEMPT_MAX_LENGTH } from "../inbox/inbox.ts";
import type { IncomingRequest } from "../sources/source.ts";

/**
 * Which attempt the sender says this is, from the first of `SENDER_ATTEMPT_HEADERS` it sent
 * (Svix and Standard Webhooks senders count their retries; others use an `x-` header). Stored with
 * each arrival as given, trimmed and cut short: it is shown, never trusted or parsed.
 */
export function senderAttempt(headers: IncomingRequest["headers"]): string | null {
  for (const name of SENDER_ATTEMPT_HEADERS) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) return value.slice(0, SENDER_ATTEMPT_MAX_LENGTH);
  }
  return null;
}
