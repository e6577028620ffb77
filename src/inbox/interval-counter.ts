import { DELIVERY_STATUSES, type DeliveryStatus } from "./inbox.ts";
import { type IntervalCounts, type IntervalRange, MAX_CHART_BUCKETS } from "./inspect-store.ts";

export interface IntervalCounter {
  /** The range as the store reads it: whole milliseconds, 1 to `MAX_CHART_BUCKETS` buckets. */
  sinceMs: number;
  untilMs: number;
  add(receivedAtMs: number, status: DeliveryStatus, n?: number): void;
  result(capped: boolean): IntervalCounts;
}

/**
 * Buckets of equal length from `since`, shared by both stores: they read the rows (or counts per
 * bucket), this does the arithmetic. The last bucket may end after `until` when the range does
 * not divide evenly; nothing at or after `until` is counted.
 */
export function createIntervalCounter(range: IntervalRange): IntervalCounter {
  const sinceMs = range.since.getTime();
  const untilMs = Math.max(sinceMs + 1, range.until.getTime());
  const count = Math.min(MAX_CHART_BUCKETS, Math.max(1, Math.floor(range.buckets)));
  const bucketMs = Math.ceil((untilMs - sinceMs) / count);
  const buckets = Array.from({ length: count }, (_, index) => ({
    startMs: sinceMs + index * bucketMs,
    counts: Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as Record<
      DeliveryStatus,
      number
    >,
  }));
  return {
    sinceMs,
    untilMs,
    add(receivedAtMs, status, n = 1) {
      if (receivedAtMs < sinceMs || receivedAtMs >= untilMs) return;
      const bucket = buckets[Math.floor((receivedAtMs - sinceMs) / bucketMs)];
      if (bucket) bucket.counts[status] += n;
    },
    result: (capped) => ({ buckets, bucketMs, capped }),
  };
}
