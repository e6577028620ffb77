const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Svix waits this long before each retry: 8 attempts in all, the first one immediate.
 * https://docs.svix.com/retries
 */
export const SVIX_RETRY_DELAYS_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
] as const;

/**
 * Capturi does not document its retries (only a 7-day log with replay); the sandbox retries its
 * deliveries on Svix's schedule too, so that one `--retry-scale` governs both.
 */
export const CAPTURI_RETRY_DELAYS_MS = SVIX_RETRY_DELAYS_MS;

/** Svix counts a delivery as failed unless a 2xx arrives within 15 s. */
export const SVIX_TIMEOUT_MS = 15 * SECOND;

/** `--retry-scale 0.001` turns Svix's 5 s … 10 h into 5 ms … 36 s. */
export function scaleDelays(delaysMs: readonly number[], scale: number): number[] {
  return delaysMs.map((delay) => Math.max(0, Math.round(delay * scale)));
}
