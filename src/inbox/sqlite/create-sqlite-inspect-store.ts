import type { DeliveryStatus } from "../inbox.ts";
import {
  type InspectStore,
  MAX_PAGE_SIZE,
  notReplayableReason,
  notRetryableNowReason,
  type StoredAttempt,
} from "../inspect-store.ts";
import { type DeliveryRow, toStoredDelivery } from "./delivery-row.ts";
import type { Db } from "./open-database.ts";
import { type SnapshotRow, toStoredSnapshot } from "./snapshot-row.ts";
import { createSqliteArrivals } from "./sqlite-arrivals.ts";
import { createSqliteDeliveryLists } from "./sqlite-delivery-lists.ts";
import { createSqliteIntervalCounts } from "./sqlite-interval-counts.ts";
import { createSqlitePrune } from "./sqlite-prune.ts";
import { createSqliteRejections } from "./sqlite-rejections.ts";
import { createSqliteReplay } from "./sqlite-replay.ts";
import { createSqliteRetryNow } from "./sqlite-retry-now.ts";
import { createSqliteStatusCounts } from "./sqlite-status-counts.ts";

/** `notifyNewWork` is called after a replay put deliveries back in the queue. */
export function createSqliteInspectStore(
  db: Db,
  notifyNewWork: () => void = () => {},
): InspectStore {
  const statements = {
    getDelivery: db.prepare<[number], DeliveryRow>("SELECT * FROM deliveries WHERE id = ?"),
    attempts: db.prepare<[number], Record<string, unknown>>(
      "SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number",
    ),
    snapshot: db.prepare<[string], SnapshotRow>(
      "SELECT * FROM conversation_snapshots WHERE uid = ?",
    ),
    statuses: db.prepare<
      [string],
      { id: number; status: DeliveryStatus; attempt_count: number; last_error: string | null }
    >(
      "SELECT id, status, attempt_count, last_error FROM deliveries WHERE id IN (SELECT value FROM json_each(?))",
    ),
  };
  const countByStatus = createSqliteStatusCounts(db);
  const arrivals = createSqliteArrivals(db);

  return {
    ...createSqliteDeliveryLists(db, arrivals),
    async getStatuses(ids) {
      return statements.statuses.all(JSON.stringify(ids.slice(0, MAX_PAGE_SIZE))).map((row) => ({
        id: row.id,
        status: row.status,
        attemptCount: row.attempt_count,
        lastError: row.last_error,
      }));
    },
    countByStatus,
    async getDelivery(id) {
      const row = statements.getDelivery.get(id);
      if (!row) return undefined;
      const snapshot = row.entity_uid ? statements.snapshot.get(row.entity_uid) : undefined;
      const reason = notReplayableReason(row.status);
      const delivery = toStoredDelivery(row);
      const notNow = notRetryableNowReason(delivery, new Date());
      return {
        delivery,
        attempts: statements.attempts.all(id).map(toAttempt),
        snapshot: snapshot ? toStoredSnapshot(snapshot) : undefined,
        replayable: reason ? { ok: false, reason } : { ok: true },
        ...arrivals.listFor(row),
        retryableNow: notNow ? { ok: false, reason: notNow } : { ok: true },
      };
    },
    countByInterval: createSqliteIntervalCounts(db),
    ...createSqliteRejections(db),
    ...createSqliteReplay(db, notifyNewWork),
    retryNow: createSqliteRetryNow(db, notifyNewWork),
    prune: createSqlitePrune(db),
  };
}

function toAttempt(row: Record<string, unknown>): StoredAttempt {
  return {
    number: row.number as number,
    trigger: row.trigger as StoredAttempt["trigger"],
    worker: row.worker as string,
    startedAt: new Date(row.started_at_ms as number),
    endedAt: row.ended_at_ms === null ? null : new Date(row.ended_at_ms as number),
    outcome: row.outcome as StoredAttempt["outcome"],
    error: row.error as string | null,
  };
}
