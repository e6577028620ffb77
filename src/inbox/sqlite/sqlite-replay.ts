import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../inbox.ts";
import {
  type BulkReplayResult,
  type DeliveryFilter,
  type InspectStore,
  notReplayableReason,
  REPLAYABLE_STATUSES,
} from "../inspect-store.ts";
import { deliveryFilterSql, type FilterSql, statusIndexFor } from "./delivery-filter-sql.ts";
import type { DeliveryRow } from "./delivery-row.ts";
import type { Db } from "./open-database.ts";
import { retryWhileBusy } from "./retry-while-busy.ts";
import { createStatementCache } from "./statement-cache.ts";

/** Rows per replay transaction: a few milliseconds of write lock, then others get their turn. */
export const REPLAY_BATCH_SIZE = 1_000;

/** Back to the queue, due now, parsed again by the worker, with a fresh budget of attempts. */
const REPLAY_SET = `status = 'pending', next_attempt_at_ms = @nowMs, next_trigger = 'replay',
  last_error = NULL, processed_at_ms = NULL, issues = NULL, attempts_before_replay = attempt_count`;

const REPLAYABLE = REPLAYABLE_STATUSES.map((status) => `'${status}'`).join(", ");

/**
 * The next batch of one status, in the order of that status's index range, after a cursor:
 * replayed rows leave the range (they become pending), and a row the worker has finished again
 * meanwhile sits behind the cursor, so no delivery is replayed twice by one call. `@maxId`
 * leaves out what arrived after the replay started.
 */
export function replayBatchSql(filter: DeliveryFilter): FilterSql & { sql: string } {
  const filterSql = deliveryFilterSql(filter);
  return {
    ...filterSql,
    sql: `SELECT id, received_at_ms FROM deliveries ${statusIndexFor(filter)}
      WHERE ${filterSql.where} AND id <= @maxId
        AND received_at_ms >= @afterMs AND (received_at_ms > @afterMs OR id > @afterId)
      ORDER BY received_at_ms, id LIMIT @limit`,
  };
}

export function createSqliteReplay(
  db: Db,
  notifyNewWork: () => void,
): Pick<InspectStore, "replay" | "replayMatching"> {
  const prepared = createStatementCache(db);
  const statements = {
    getStatus: db.prepare<[number], Pick<DeliveryRow, "status">>(
      "SELECT status FROM deliveries WHERE id = ?",
    ),
    replayOne: db.prepare<{ id: number; nowMs: number }, { id: number }>(`
      UPDATE deliveries SET ${REPLAY_SET}
      WHERE id = @id AND status IN (${REPLAYABLE}) RETURNING id`),
    replayIds: db.prepare<{ ids: string; status: string; nowMs: number }>(`
      UPDATE deliveries SET ${REPLAY_SET}
      WHERE id IN (SELECT value FROM json_each(@ids)) AND status = @status`),
    maxId: db.prepare<[], { id: number | null }>("SELECT max(id) AS id FROM deliveries"),
  };

  const replayOne = db.transaction((id: number, nowMs: number) => {
    const row = statements.getStatus.get(id);
    if (!row) return { ok: false, id, code: "not_found", reason: `No delivery ${id}.` } as const;
    const reason = notReplayableReason(row.status);
    if (reason || !statements.replayOne.get({ id, nowMs })) {
      return { ok: false, id, code: "not_replayable", reason: reason ?? "" } as const;
    }
    return { ok: true, id, previousStatus: row.status } as const;
  });

  interface Cursor {
    afterMs: number;
    afterId: number;
  }

  /** One transaction: the next batch of `status` after the cursor, replayed. */
  const replayBatch = db.transaction(
    (filter: DeliveryFilter, cursor: Cursor, maxId: number, nowMs: number) => {
      const { sql, shape, params } = replayBatchSql(filter);
      const rows = prepared<Record<string, unknown>, { id: number; received_at_ms: number }>(
        `replay:${shape}`,
        () => sql,
      ).all({ ...params, ...cursor, maxId, limit: REPLAY_BATCH_SIZE });
      const ids = JSON.stringify(rows.map((row) => row.id));
      const { changes } = statements.replayIds.run({ ids, status: filter.status ?? "", nowMs });
      const last = rows.at(-1);
      return {
        replayed: changes,
        next: last && { afterMs: last.received_at_ms, afterId: last.id },
        done: rows.length < REPLAY_BATCH_SIZE,
      };
    },
  );

  async function replayStatus(
    filter: DeliveryFilter & { status: DeliveryStatus },
    maxId: number,
    nowMs: number,
  ): Promise<number> {
    let cursor: Cursor = { afterMs: Number.MIN_SAFE_INTEGER, afterId: 0 };
    let replayed = 0;
    for (;;) {
      const batch = await retryWhileBusy(() => replayBatch.immediate(filter, cursor, maxId, nowMs));
      replayed += batch.replayed;
      if (batch.replayed > 0) notifyNewWork();
      if (batch.done || !batch.next) return replayed;
      cursor = batch.next;
      await yieldToEventLoop();
    }
  }

  return {
    async replay(id, now) {
      const outcome = await retryWhileBusy(() => replayOne.immediate(id, now.getTime()));
      if (outcome.ok) notifyNewWork();
      return outcome;
    },
    async replayMatching(filter, now) {
      const maxId = statements.maxId.get()?.id ?? 0;
      const wanted = DELIVERY_STATUSES.filter(
        (status) => !filter.status || filter.status === status,
      );
      const result: BulkReplayResult = { replayed: 0, skipped: {} };
      for (const status of wanted) {
        if (REPLAYABLE_STATUSES.includes(status)) {
          result.replayed += await replayStatus({ ...filter, status }, maxId, now.getTime());
        } else {
          const n = countStatus({ ...filter, status }, maxId);
          if (n > 0) result.skipped[status] = n;
        }
      }
      return result;
    },
  };

  /** Exact, for the few statuses a replay leaves alone: one index range count each. */
  function countStatus(filter: DeliveryFilter, maxId: number): number {
    const { where, shape, params } = deliveryFilterSql(filter);
    return (
      prepared<Record<string, unknown>, { n: number }>(
        `skipped:${shape}`,
        () =>
          `SELECT count(*) AS n FROM deliveries ${statusIndexFor(filter)}
           WHERE ${where} AND id <= @maxId`,
      ).get({ ...params, maxId })?.n ?? 0
    );
  }
}
