/**
 * The wait a `Retry-After` header asks for, in milliseconds: either delay-seconds or an HTTP-date
 * (https://www.rfc-editor.org/rfc/rfc9110#field.retry-after). A date in the past means "now" (0).
 * Null when the header is absent or unreadable, so that the caller falls back to its own backoff.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP-date names its day and month; without a letter, Date.parse would read "2.5" as a date.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
