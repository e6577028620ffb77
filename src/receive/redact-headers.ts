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

export interface HeaderRedaction {
  /** Lower-case header names whose values are always replaced. */
  names: Iterable<string>;
  /**
   * Configured secrets and tokens: a header that contains one (bare, after `Bearer `, inside a
   * `whsec_` string) is replaced whatever its name, for a sender that put it under another name.
   */
  values: Iterable<string>;
}

/** Replaces secret-bearing header values: what may be stored, logged and shown. */
export type RedactHeaders = (headers: IncomingHttpHeaders) => Record<string, string>;

/** Compiles the names and values once, at start-up; the result runs on every request. */
export function createHeaderRedactor(redaction: HeaderRedaction): RedactHeaders {
  const names = new Set(redaction.names);
  const containsSecret = createSecretMatcher(redaction.values);
  return (headers) => {
    const safe: Record<string, string> = {};
    for (const [name, raw] of Object.entries(headers)) {
      if (raw === undefined) continue;
      const value = Array.isArray(raw) ? raw.join(", ") : raw;
      safe[name] = names.has(name) || containsSecret(value) ? REDACTED : value;
    }
    return safe;
  };
}

/** One regular expression for every configured secret, longest first; no secrets: never matches. */
export function createSecretMatcher(values: Iterable<string>): (text: string) => boolean {
  const secrets = [...new Set(values)].filter((value) => value.length > 0);
  if (secrets.length === 0) return () => false;
  const pattern = new RegExp(
    secrets
      .sort((a, b) => b.length - a.length)
      .map((secret) => secret.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
      .join("|"),
  );
  return (text) => pattern.test(text);
}
