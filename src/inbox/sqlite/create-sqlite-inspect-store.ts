import type { Statement } from "better-sqlite3";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../inbox.ts";
import {
  DEFAULT_PAGE_SIZE,
  type DeliveryFilter,
  type DeliverySummary,
  type InspectStore,
  MAX_PAGE_SIZE,
  notReplayableReason,
  REPLAYABLE_STATUSES,
  type StoredAttempt,
} from "../inspect-store.ts";
import { deliveryFilterSql } from "./delivery-filter-sql.ts";
import { type DeliveryRow, toStoredDelivery } from "./delivery-row.ts";
import type { Db } from "./open-database.ts";
import { type RejectionRow, toStoredRejection } from "./rejection-row.ts";
import { type SnapshotRow, toStoredSnapshot } from "./snapshot-row.ts";
import { createSqlitePrune } from "./sqlite-prune.ts";

type SummaryRow = Pick<
  DeliveryRow,
  | "id"
  | "source"
  | "event_type"
  | "status"
  | "idempotency_key"
  | "entity_uid"
  | "payload_mode"
  | "auth_method"
  | "received_at_ms"
  | "attempt_count"
  | "last_error"
>;

const SUMMARY_COLUMNS = `id, source, event_type, status, idempotency_key, entity_uid, payload_mode,
  auth_method, received_at_ms, attempt_count, last_error`;

const REPLAYABLE = REPLAYABLE_STATUSES.map((status) => `'${status}'`).join(", ");

/** Back to the queue, due now, parsed again by the worker, with a fresh budget of attempts. */
const REPLAY_SET = `status = 'pending', next_attempt_at_ms = @nowMs, next_trigger = 'replay',
  last_error = NULL, processed_at_ms = NULL, issues = NULL, attempts_before_replay = attempt_count`;

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
    replay: db.prepare<{ id: number; nowMs: number }, { id: number }>(`
      UPDATE deliveries SET ${REPLAY_SET}
      WHERE id = @id AND status IN (${REPLAYABLE}) RETURNING id`),
  };
  // One statement per filter shape (which filters are set), prepared on first use.
  const byShape = new Map<string, Statement>();
  function prepared<P, R>(key: string, sql: () => string): Statement<P[], R> {
    let statement = byShape.get(key);
    if (!statement) {
      statement = db.prepare(sql());
      byShape.set(key, statement);
    }
    return statement as unknown as Statement<P[], R>;
  }

  function counts(filter: DeliveryFilter): Record<DeliveryStatus, number> {
    const { where, params, shape } = deliveryFilterSql(filter, { ignoreStatus: true });
    const rows = prepared<Record<string, unknown>, { status: DeliveryStatus; n: number }>(
      `counts:${shape}`,
      () => `SELECT status, count(*) AS n FROM deliveries WHERE ${where} GROUP BY status`,
    ).all(params);
    const result = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0]));
    for (const row of rows) result[row.status] = row.n;
    return result as Record<DeliveryStatus, number>;
  }

  const replay = db.transaction((id: number, nowMs: number) => {
    const row = statements.getDelivery.get(id);
    if (!row) return { ok: false, id, code: "not_found", reason: `No delivery ${id}.` } as const;
    const reason = notReplayableReason(row.status);
    if (reason || !statements.replay.get({ id, nowMs })) {
      return { ok: false, id, code: "not_replayable", reason: reason ?? "" } as const;
    }
    return { ok: true, id, previousStatus: row.status } as const;
  });

  const replayMatching = db.transaction((filter: DeliveryFilter, nowMs: number) => {
    const matching = counts(filter);
    const { where, params, shape } = deliveryFilterSql(filter);
    const { changes } = prepared<Record<string, unknown>, never>(
      `replay:${shape}`,
      () => `UPDATE deliveries SET ${REPLAY_SET} WHERE ${where} AND status IN (${REPLAYABLE})`,
    ).run({ ...params, nowMs });
    const skipped: Partial<Record<DeliveryStatus, number>> = {};
    for (const status of DELIVERY_STATUSES) {
      const n = matching[status];
      const wanted = !filter.status || filter.status === status;
      if (wanted && n > 0 && !REPLAYABLE_STATUSES.includes(status)) skipped[status] = n;
    }
    return { replayed: changes, skipped };
  });

  return {
    async listDeliveries(filter, page = {}) {
      const limit = clampLimit(page.limit);
      const { where, params, shape } = deliveryFilterSql(filter);
      const keyset = page.before ? "AND (received_at_ms, id) < (@beforeMs, @beforeId)" : "";
      const rows = prepared<Record<string, unknown>, SummaryRow>(
        `list:${shape}:${page.before ? "before" : "first"}`,
        () => `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE ${where} ${keyset}
          ORDER BY received_at_ms DESC, id DESC LIMIT @limit`,
      ).all({
        ...params,
        ...(page.before ? { beforeMs: page.before.receivedAtMs, beforeId: page.before.id } : {}),
        limit: limit + 1,
      });
      const deliveries = rows.slice(0, limit).map(toSummary);
      const last = deliveries.at(-1);
      return {
        deliveries,
        nextCursor:
          rows.length > limit && last
            ? { receivedAtMs: last.receivedAt.getTime(), id: last.id }
            : undefined,
      };
    },
    async listNewDeliveries(filter, afterId, limit) {
      const { where, params, shape } = deliveryFilterSql(filter);
      return prepared<Record<string, unknown>, SummaryRow>(
        `new:${shape}`,
        () => `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id > @afterId AND ${where}
          ORDER BY id LIMIT @limit`,
      )
        .all({ ...params, afterId, limit: clampLimit(limit) })
        .map(toSummary);
    },
    async getStatuses(ids) {
      return statements.statuses.all(JSON.stringify(ids.slice(0, MAX_PAGE_SIZE))).map((row) => ({
        id: row.id,
        status: row.status,
        attemptCount: row.attempt_count,
        lastError: row.last_error,
      }));
    },
    countByStatus: async (filter) => counts(filter),
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
      };
    },
    async listRejections(page = {}) {
      return statements.rejections
        .all({ beforeId: page.beforeId ?? Number.MAX_SAFE_INTEGER, limit: clampLimit(page.limit) })
        .map(toStoredRejection);
    },
    async replay(id, now) {
      const outcome = replay.immediate(id, now.getTime());
      if (outcome.ok) notifyNewWork();
      return outcome;
    },
    async replayMatching(filter, now) {
      const result = replayMatching.immediate(filter, now.getTime());
      if (result.replayed > 0) notifyNewWork();
      return result;
    },
    prune: createSqlitePrune(db),
  };
}

function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit ?? DEFAULT_PAGE_SIZE)));
}

function toSummary(row: SummaryRow): DeliverySummary {
  return {
    id: row.id,
    source: row.source,
    eventType: row.event_type,
    status: row.status,
    idempotencyKey: row.idempotency_key,
    entityUid: row.entity_uid,
    payloadMode: row.payload_mode,
    authMethod: row.auth_method,
    receivedAt: new Date(row.received_at_ms),
    attemptCount: row.attempt_count,
    lastError: row.last_error,
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
