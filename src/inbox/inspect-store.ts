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
  /** Deliveries stored after `afterId`, oldest first: what a live view has not seen yet. */
  listNewDeliveries(
    filter: DeliveryFilter,
    afterId: number,
    limit: number,
  ): Promise<DeliverySummary[]>;
  /** The current status of a few deliveries a view shows, to update them in place. */
  getStatuses(ids: readonly number[]): Promise<DeliveryStatusUpdate[]>;
  /** How many deliveries match the filter (its `status` ignored), per status. */
  countByStatus(filter: DeliveryFilter): Promise<Record<DeliveryStatus, number>>;
  getDelivery(id: number): Promise<DeliveryDetail | undefined>;
  listRejections(page?: { limit?: number; beforeId?: number }): Promise<StoredRejection[]>;
  /** Puts one delivery back in the queue, to be parsed again and handled, with trigger `replay`. */
  replay(id: number, now: Date): Promise<ReplayOutcome>;
  /** Replays every replayable delivery that matches; the others are counted, not touched. */
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
}

/** A list row: everything but the body and headers. */
export interface DeliverySummary {
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
