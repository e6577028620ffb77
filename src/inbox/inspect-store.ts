import type { AuthMethod, PayloadMode } from "../sources/source.ts";
import type { DeliveryStatus, StoredDelivery, StoredRejection } from "./inbox.ts";
import type { StoredSnapshot } from "./snapshots.ts";

/**
 * The read-and-repair side of the inbox, for the inspect page, `npm run events` and retention.
 * Works on the database alone, so the CLI can use it while the receiver is stopped.
 */
export interface InspectStore {
  /** Newest first, keyset-paged: pass the previous page's `nextCursor` as `before`. */
  listDeliveries(filter: DeliveryFilter, page?: PageRequest): Promise<DeliveryPage>;
  /**
   * Matching deliveries stored after `afterId`, oldest first: what a live view has not seen yet.
   * Looks at a bounded stretch of newer deliveries per call; pass `seenThroughId` as the next
   * `afterId`, so that a view whose filter rarely matches does not read the same rows again.
   */
  listNewDeliveries(filter: DeliveryFilter, afterId: number, limit: number): Promise<NewDeliveries>;
  /** The current status of a few deliveries a view shows, to update them in place. */
  getStatuses(ids: readonly number[]): Promise<DeliveryStatusUpdate[]>;
  /**
   * How many deliveries match the filter (its `status` ignored), per status, counted up to
   * `COUNT_CAP` each so that the cost stays small however many rows match: past it a figure is
   * a floor, listed in `capped` ("10,000+").
   */
  countByStatus(filter: DeliveryFilter): Promise<StatusCounts>;
  getDelivery(id: number): Promise<DeliveryDetail | undefined>;
  /**
   * Deliveries per time bucket and status over `range` (the filter's `since` and `until` are
   * replaced by the range; its other fields apply), for the list page's chart. Bounded: it reads
   * at most `CHART_ROW_CAP + 1` rows per index range it reads (the newest in range; one range per
   * status, or one for the whole time range), whatever the table holds. `capped`: more were in
   * range than it read, so the oldest buckets are floors.
   */
  countByInterval(filter: DeliveryFilter, range: IntervalRange): Promise<IntervalCounts>;
  /** Newest first; every filter field narrows (the log holds at most `REJECTION_LOG_SIZE` rows). */
  listRejections(filter?: RejectionFilter): Promise<StoredRejection[]>;
  /** Rejections received at or after `since`: cheap, the log is capped at `REJECTION_LOG_SIZE`. */
  countRejectionsSince(since: Date): Promise<number>;
  /** Puts one delivery back in the queue, to be parsed again and handled, with trigger `replay`. */
  replay(id: number, now: Date): Promise<ReplayOutcome>;
  /**
   * Makes a `pending` delivery that waits out its backoff (next attempt after `now`) due at
   * `now`, keeping its attempt count, and wakes the worker. Anything else is `not_waiting`. A
   * store that times work with its database's clock (PostgreSQL) uses that clock for `now`.
   */
  retryNow(id: number, now: Date): Promise<RetryNowOutcome>;
  /**
   * Replays every replayable delivery that matches; the others are counted, not touched. Works
   * in short batches, each committed on its own, so that deliveries keep being recorded
   * meanwhile: a failure part-way leaves the batches before it replayed. Only deliveries stored
   * before it started are replayed. A store that cannot get its writes through for long rejects
   * with `StoreBusyError`.
   */
  replayMatching(filter: DeliveryFilter, now: Date): Promise<BulkReplayResult>;
  /** Deletes what is older than `cutoff` (see `PruneResult`); `dryRun` only counts. */
  prune(cutoff: Date, options?: { dryRun?: boolean; batchSize?: number }): Promise<PruneResult>;
}

/** Every field narrows the result; unset fields do not. */
export interface DeliveryFilter {
  source?: string;
  eventType?: string;
  status?: DeliveryStatus;
  /** Received at or after. */
  since?: Date;
  /** Received before. */
  until?: Date;
  /** A delivery id, or the start of an event id (idempotency key) or entity uid. */
  search?: string;
}

export interface PageRequest {
  /** At most `MAX_PAGE_SIZE`. */
  limit?: number;
  before?: Cursor;
}

/** A position in the newest-first order: the last row of a page. */
export interface Cursor {
  receivedAtMs: number;
  id: number;
}

export interface DeliveryPage {
  deliveries: DeliverySummary[];
  /** Undefined on the last page. */
  nextCursor: Cursor | undefined;
  /** The highest delivery id stored, matching or not: where a live view of this page starts. */
  newestId: number;
}

/**
 * A page from up to `limit + 1` summaries, newest first, read by either store: the extra row only
 * says that there is a next page.
 */
export function toDeliveryPage(
  summaries: DeliverySummary[],
  limit: number,
  newestId: number,
): DeliveryPage {
  const deliveries = summaries.slice(0, limit);
  const last = deliveries.at(-1);
  return {
    deliveries,
    nextCursor:
      summaries.length > limit && last
        ? { receivedAtMs: last.receivedAt.getTime(), id: last.id }
        : undefined,
    newestId,
  };
}

/** A list row: everything but the body and headers. */
export interface DeliverySummary {
  /**
   * How many times the sender sent it: 1 + duplicate arrivals, counted up to `ARRIVALS_COUNT_CAP`
   * (a figure at the cap is a floor).
   */
  arrivals: number;
  id: number;
  source: string;
  eventType: string | null;
  status: DeliveryStatus;
  idempotencyKey: string | null;
  entityUid: string | null;
  payloadMode: PayloadMode | null;
  authMethod: AuthMethod;
  receivedAt: Date;
  attemptCount: number;
  lastError: string | null;
}

export interface NewDeliveries {
  deliveries: DeliverySummary[];
  /** Every delivery up to this id was looked at, matching or not: the next call's `afterId`. */
  seenThroughId: number;
}

export interface StatusCounts {
  /** Per status; exact below `COUNT_CAP`, at least that many for the statuses in `capped`. */
  counts: Record<DeliveryStatus, number>;
  /** Statuses whose figure is a floor: more match than were counted. */
  capped: DeliveryStatus[];
}

/** Counting stops here: a page that says "10,000+" needs no exact figure to be useful. */
export const COUNT_CAP = 10_000;

/** How many newer deliveries one `listNewDeliveries` call looks at, matching or not. */
export const NEW_DELIVERIES_WINDOW = 20_000;

/**
 * A write that waited for other writers (another process holding the database) for longer than
 * the store allows, and gave up. What was committed before it stays committed.
 */
export class StoreBusyError extends Error {
  override name = "StoreBusyError";
}

export interface DeliveryStatusUpdate {
  id: number;
  status: DeliveryStatus;
  attemptCount: number;
  lastError: string | null;
}

export interface DeliveryDetail {
  delivery: StoredDelivery;
  attempts: StoredAttempt[];
  /** The stored conversation of a Capturi delivery's entity, if a handler stored one. */
  snapshot: StoredSnapshot | undefined;
  /** Whether `replay` would accept it now, and if not, why. */
  replayable: { ok: true } | { ok: false; reason: string };
  /**
   * Every time the sender sent it, oldest first, newest last: the first arrival (the delivery
   * itself, `duplicate: false`) then up to `MAX_ARRIVALS_LISTED - 1` duplicates, the newest ones.
   */
  arrivals: StoredArrival[];
  /** Duplicate arrivals left out of `arrivals` (the oldest duplicates), counted up to `ARRIVALS_COUNT_CAP`. */
  arrivalsNotListed: number;
  /** Whether `retryNow` would accept it now, and if not, why. */
  retryableNow: { ok: true } | { ok: false; reason: string };
}

/** One request that brought a delivery: the first one, or a duplicate (same source + key). */
export interface StoredArrival {
  receivedAt: Date;
  requestId: string | null;
  /** The sender's attempt header, if it sent one (see `SENDER_ATTEMPT_HEADERS`). */
  senderAttempt: string | null;
  /** What the receiver answered it; null for a first arrival stored before answers were kept. */
  statusCode: number | null;
  duplicate: boolean;
}

/** A delivery's page lists this many arrivals at most. */
export const MAX_ARRIVALS_LISTED = 100;

/** Arrival counts stop here, so that a list page's correlated counts stay bounded per row. */
export const ARRIVALS_COUNT_CAP = 1000;

export type RetryNowOutcome =
  | { ok: true; id: number; nextAttemptAt: Date; attemptCount: number }
  | { ok: false; id: number; code: "not_found" | "not_waiting"; reason: string };

/** The chart's time range: `buckets` equal intervals from `since` (inclusive) to `until` (exclusive). */
export interface IntervalRange {
  since: Date;
  until: Date;
  /** 1 to `MAX_CHART_BUCKETS`. */
  buckets: number;
}

export interface IntervalCounts {
  /** Oldest first, exactly `range.buckets` of them, each `bucketMs` long. */
  buckets: IntervalBucket[];
  bucketMs: number;
  /** True when more were in range than were read: the oldest buckets are floors. */
  capped: boolean;
}

export interface IntervalBucket {
  startMs: number;
  counts: Record<DeliveryStatus, number>;
}

/** The chart reads at most this many deliveries, plus one, per index range (the newest in range). */
export const CHART_ROW_CAP = 20_000;
export const MAX_CHART_BUCKETS = 288;

export interface RejectionFilter {
  source?: string;
  /** The rejection's error code, e.g. `signature_mismatch`. */
  code?: string;
  /** Received at or after. */
  since?: Date;
  /** Received before. */
  until?: Date;
  /** Keyset paging: rejections with a smaller id. */
  beforeId?: number;
  /** At most `MAX_PAGE_SIZE`. */
  limit?: number;
}

/** Why `retryNow` refuses a delivery, or undefined when it would accept it at `now`. */
export function notRetryableNowReason(
  delivery: { status: DeliveryStatus; nextAttemptAt: Date | null },
  now: Date,
): string | undefined {
  if (delivery.status === "processing") return "A worker is processing it right now.";
  if (delivery.status === "malformed") {
    return "Its body is not JSON, so it never runs; it is kept for audit only.";
  }
  if (delivery.status !== "pending") {
    return `It is ${delivery.status}, not waiting for a retry; replay it instead.`;
  }
  if (!delivery.nextAttemptAt || delivery.nextAttemptAt.getTime() <= now.getTime()) {
    return "It is already due: a worker will pick it up.";
  }
  return undefined;
}

export interface StoredAttempt {
  number: number;
  trigger: "receipt" | "retry" | "replay";
  worker: string;
  startedAt: Date;
  endedAt: Date | null;
  outcome: "succeeded" | "failed" | "abandoned" | "skipped" | null;
  error: string | null;
}

export type ReplayOutcome =
  | { ok: true; id: number; previousStatus: DeliveryStatus }
  | { ok: false; id: number; code: "not_found" | "not_replayable"; reason: string };

export interface BulkReplayResult {
  replayed: number;
  /** Matching deliveries left alone, per status (`malformed`, `pending`, `processing`). */
  skipped: Partial<Record<DeliveryStatus, number>>;
}

export interface PruneResult {
  cutoff: Date;
  /** Deliveries deleted (with their attempts); pending and processing ones are kept. */
  deliveries: number;
  attempts: number;
  /** Snapshots of entities that no remaining delivery mentions. */
  snapshots: number;
  rejections: number;
  dryRun: boolean;
}

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** Statuses a replay can start from; the others say why not in `notReplayableReason`. */
export const REPLAYABLE_STATUSES: readonly DeliveryStatus[] = [
  "done",
  "dead",
  "unhandled",
  "invalid",
];

export function notReplayableReason(status: DeliveryStatus): string | undefined {
  switch (status) {
    case "malformed":
      return "Its body is not JSON, so there is nothing to parse or handle; it is kept for audit only.";
    case "pending":
      return "It is already waiting for the worker.";
    case "processing":
      return "A worker is processing it right now.";
    default:
      return undefined;
  }
}
