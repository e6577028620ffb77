export interface BackoffOptions {
  /** Delay before the second attempt, before jitter. */
  baseDelayMs: number;
  /** No delay is longer than this, however many attempts failed. */
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter: a random delay in [0, min(max, base · 2^(attempt-1))].
 * Jitter spreads retries out so that many failures at once do not retry in lockstep
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * `attempt` counts the attempts that have failed so far, from 1.
 */
export function backoffDelayMs(
  attempt: number,
  { baseDelayMs, maxDelayMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
