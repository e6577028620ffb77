import { backoffDelayMs } from "../../../retry/backoff-delay.ts";
import { sleep } from "../../../retry/sleep.ts";
import { retryAfterMs } from "./retry-after-ms.ts";

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Delay before the second attempt, before jitter; it doubles with every failed attempt. */
  baseDelayMs: number;
  /** The longest wait between two attempts, a `Retry-After` included. */
  maxDelayMs: number;
}

export interface RetryingFetchOptions {
  /** Makes each attempt. */
  fetch: typeof fetch;
  /** Each attempt, the response body included, is aborted after this long. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Response statuses worth another attempt, e.g. 429 and 503. */
  retryStatuses: ReadonlySet<number>;
  /** Jitter source in [0, 1); inject a constant in tests. */
  random?: () => number;
}

type Attempt = { response: Response } | { failure: unknown };

// Statuses whose response may not carry a body (https://fetch.spec.whatwg.org/#null-body-status).
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * A fetch, in the shape openapi-fetch takes, that retries with exponential backoff and jitter.
 *
 * - A network error or a timeout is retried; once the attempts run out it throws an Error that
 *   names the request (without its query or headers), says how many requests went unanswered,
 *   and keeps the last failure as `cause`.
 * - A status in `retryStatuses` is retried, never sooner than its `Retry-After`. Once the attempts
 *   run out, or when `Retry-After` asks for longer than `maxDelayMs`, the last response is returned:
 *   the server did answer, so the caller decides what that answer means.
 * - The request's signal (the caller's) stops everything at once: it rejects with the signal's
 *   reason, between attempts as well as during one.
 *
 * Bodies are read here, inside the timeout, so that a body that stalls is retried like a slow
 * header instead of hanging the caller.
 */
export function createRetryingFetch(options: RetryingFetchOptions) {
  const { fetch: fetchOnce, timeoutMs, retry, retryStatuses, random = Math.random } = options;

  return async function retryingFetch(request: Request): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await attemptOnce(fetchOnce, request, timeoutMs);
      if ("response" in outcome && !retryStatuses.has(outcome.response.status)) {
        return outcome.response;
      }
      const delayMs = attempt < retry.maxAttempts ? delayBeforeRetry(attempt, outcome) : null;
      if (delayMs === null) {
        if ("response" in outcome) return outcome.response;
        const reason = describeFailure(outcome.failure, timeoutMs);
        // The caller (a worker's processing attempt) counts attempts of its own: say whose these are.
        const requests = attempt === 1 ? "1 request" : `${attempt} requests`;
        throw new Error(
          `${describeRequest(request)} got no answer to ${requests} (the HTTP client's own retries, within one call); last: ${reason}`,
          { cause: outcome.failure },
        );
      }
      await sleep(delayMs, request.signal);
    }
  };

  /** Milliseconds to wait before the next attempt, or null when the server asks for too long. */
  function delayBeforeRetry(failedAttempts: number, outcome: Attempt): number | null {
    const backoffMs = backoffDelayMs(failedAttempts, retry, random);
    if (!("response" in outcome)) return backoffMs;
    const askedMs = retryAfterMs(outcome.response.headers.get("retry-after"));
    if (askedMs === null) return backoffMs;
    // Retrying sooner than asked would only earn another 429; waiting longer than maxDelayMs
    // would hold the caller (a worker slot) hostage. Give the answer back instead.
    return askedMs > retry.maxDelayMs ? null : Math.max(askedMs, backoffMs);
  }
}

async function attemptOnce(
  fetchOnce: typeof fetch,
  request: Request,
  timeoutMs: number,
): Promise<Attempt> {
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]);
  try {
    const response = await fetchOnce(request.clone(), { signal });
    return { response: await buffered(response) };
  } catch (failure) {
    // The caller gave up: no retry and no wrapping, the caller's own reason comes back.
    if (request.signal.aborted) throw request.signal.reason;
    return { failure };
  }
}

async function buffered(response: Response): Promise<Response> {
  const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
  const { status, statusText, headers } = response;
  return new Response(body, { status, statusText, headers });
}

/** Method, origin and path: the query and headers stay out of messages. */
function describeRequest(request: Request): string {
  const url = new URL(request.url);
  return `${request.method} ${url.origin}${url.pathname}`;
}

function describeFailure(failure: unknown, timeoutMs: number): string {
  if (!(failure instanceof Error)) return String(failure);
  if (failure.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
  // undici reports "fetch failed" and keeps the reason (ECONNREFUSED, ...) in `cause`.
  return failure.cause instanceof Error
    ? `${failure.message} (${failure.cause.message})`
    : failure.message;
}
