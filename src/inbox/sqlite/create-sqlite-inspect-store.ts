import type { DeliveryStatus } from "../inbox.ts";
import {
  type InspectStore,
  MAX_PAGE_SIZE,
  notReplayableReason,
  type StoredAttempt,
} from "../inspect-store.ts";
import { type DeliveryRow, toStoredDelivery } from "./delivery-row.ts";
import type { Db } from "./open-database.ts";
import { type RejectionRow, toStoredRejection } from "./rejection-row.ts";
import { type SnapshotRow, toStoredSnapshot } from "./snapshot-row.ts";
import { clampLimit, createSqliteDeliveryLists } from "./sqlite-delivery-lists.ts";
import { createSqlitePrune } from "./sqlite-prune.ts";
import { createSqliteReplay } from "./sqlite-replay.ts";
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
    rejections: db.prepare<{ beforeId: number; limit: number }, RejectionRow>(
      "SELECT * FROM rejections WHERE id < @beforeId ORDER BY id DESC LIMIT @limit",
    ),
  };
  const countByStatus = createSqliteStatusCounts(db);

  return {
    ...createSqliteDeliveryLists(db),
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
      return {
        delivery: toStoredDelivery(row),
        attempts: statements.attempts.all(id).map(toAttempt),
        snapshot: snapshot ? toStoredSnapshot(snapshot) : undefined,
        replayable: reason ? { ok: false, reason } : { ok: true },
        arrivals: [],
        arrivalsNotListed: 0,
        retryableNow: { ok: false, reason: "not implemented" },
      };
    },
    async listRejections(page = {}) {
      return statements.rejections
        .all({ beforeId: page.beforeId ?? Number.MAX_SAFE_INTEGER, limit: clampLimit(page.limit) })
        .map(toStoredRejection);
    },
    ...createSqliteReplay(db, notifyNewWork),
    async countByInterval() {
      throw new Error("countByInterval: not implemented yet");
    },
    async countRejectionsSince() {
      throw new Error("countRejectionsSince: not implemented yet");
    },
    async retryNow() {
      throw new Error("retryNow: not implemented yet");
    },
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
