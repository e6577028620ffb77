import type { IncomingHttpHeaders } from "node:http";

/** Headers that carry credentials whatever the source; each source adds its own. */
export const ALWAYS_SECRET_HEADERS = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
] as const;

export const REDACTED = "[redacted]";

/** A copy of the headers that is safe to store, log and show: secret-bearing values replaced. */
export function redactHeaders(
  headers: IncomingHttpHeaders,
  secretHeaders: ReadonlySet<string>,
): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    safe[name] = secretHeaders.has(name)
      ? REDACTED
      : Array.isArray(value)
        ? value.join(", ")
        : value;
  }
  return safe;
}
