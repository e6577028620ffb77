import { DELIVERY_STATUSES, type DeliveryStatus } from "../inbox.ts";
import {
  DEFAULT_PAGE_SIZE,
  type DeliveryFilter,
  type InspectStore,
  MAX_PAGE_SIZE,
  notReplayableReason,
  REPLAYABLE_STATUSES,
  type StoredAttempt,
} from "../inspect-store.ts";
import type { Pool } from "./create-pool.ts";
import { deliveryFilterSql } from "./delivery-filter-sql.ts";
import {
  type DeliveryRow,
  SUMMARY_COLUMNS,
  type SummaryRow,
  toStoredDelivery,
  toSummary,
} from "./delivery-row.ts";
import { inTransaction } from "./in-transaction.ts";
import { NEW_WORK_CHANNEL } from "./listen-for-new-work.ts";
import { createPostgresPrune } from "./postgres-prune.ts";
import { type RejectionRow, toStoredRejection } from "./rejection-row.ts";
import { type SnapshotRow, toStoredSnapshot } from "./snapshot-row.ts";

const REPLAYABLE = REPLAYABLE_STATUSES.map((status) => `'${status}'`).join(", ");

/** Back to the queue, due now (the database's now), parsed again, with a fresh budget of attempts. */
const REPLAY_SET = `status = 'pending', next_attempt_at = now(), next_trigger = 'replay',
  last_error = NULL, processed_at = NULL, issues = NULL, attempts_before_replay = attempt_count`;

const NOTIFY = `SELECT pg_notify('${NEW_WORK_CHANNEL}', '')`;

export function createPostgresInspectStore(
  pool: Pool,
  notifyNewWork: () => void = () => {},
): InspectStore {
  async function counts(filter: DeliveryFilter, db: Pick<Pool, "query"> = pool) {
    const { where, values } = deliveryFilterSql(filter, { ignoreStatus: true });
    const { rows } = await db.query<{ status: DeliveryStatus; n: number }>(
      `SELECT status, count(*) AS n FROM deliveries WHERE ${where} GROUP BY status`,
      values,
    );
    const result = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0]));
    for (const row of rows) result[row.status] = row.n;
    return result as Record<DeliveryStatus, number>;
  }

  return {
    async listDeliveries(filter, page = {}) {
      const limit = clampLimit(page.limit);
      const sql = deliveryFilterSql(filter);
      // Row comparison on (received_at, id): rows sharing a timestamp are neither skipped nor repeated.
      const keyset = page.before
        ? `AND (received_at, id) < (${sql.param(new Date(page.before.receivedAtMs))}, ${sql.param(page.before.id)})`
        : "";
      const { rows } = await pool.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE ${sql.where} ${keyset}
         ORDER BY received_at DESC, id DESC LIMIT ${sql.param(limit + 1)}`,
        sql.values,
      );
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
      const sql = deliveryFilterSql(filter);
      const { rows } = await pool.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id > ${sql.param(afterId)} AND ${sql.where}
         ORDER BY id LIMIT ${sql.param(clampLimit(limit))}`,
        sql.values,
      );
      return rows.map(toSummary);
    },
    async getStatuses(ids) {
      const { rows } = await pool.query<{
        id: number;
        status: DeliveryStatus;
        attempt_count: number;
        last_error: string | null;
      }>(
        "SELECT id, status, attempt_count, last_error FROM deliveries WHERE id = ANY($1::bigint[])",
        [ids.slice(0, MAX_PAGE_SIZE)],
      );
      return rows.map((row) => ({
        id: row.id,
        status: row.status,
        attemptCount: row.attempt_count,
        lastError: row.last_error,
      }));
    },
    countByStatus: (filter) => counts(filter),
    async getDelivery(id) {
      const { rows } = await pool.query<DeliveryRow>("SELECT * FROM deliveries WHERE id = $1", [
        id,
      ]);
      const row = rows[0];
      if (!row) return undefined;
      const [attempts, snapshots] = await Promise.all([
        pool.query("SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY number, id", [id]),
        row.entity_uid
          ? pool.query<SnapshotRow>("SELECT * FROM conversation_snapshots WHERE uid = $1", [
              row.entity_uid,
            ])
          : undefined,
      ]);
      const snapshot = snapshots?.rows[0];
      const reason = notReplayableReason(row.status);
      return {
        delivery: toStoredDelivery(row),
        attempts: attempts.rows.map(toAttempt),
        snapshot: snapshot ? toStoredSnapshot(snapshot) : undefined,
        replayable: reason ? { ok: false, reason } : { ok: true },
      };
    },
    async listRejections(page = {}) {
      const { rows } = await pool.query<RejectionRow>(
        "SELECT * FROM rejections WHERE id < $1 ORDER BY id DESC LIMIT $2",
        [page.beforeId ?? Number.MAX_SAFE_INTEGER, clampLimit(page.limit)],
      );
      return rows.map(toStoredRejection);
    },
    async replay(id) {
      const outcome = await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ status: DeliveryStatus }>(
          "SELECT status FROM deliveries WHERE id = $1 FOR UPDATE",
          [id],
        );
        const row = rows[0];
        if (!row)
          return { ok: false, id, code: "not_found", reason: `No delivery ${id}.` } as const;
        const reason = notReplayableReason(row.status);
        if (reason) return { ok: false, id, code: "not_replayable", reason } as const;
        await client.query(`UPDATE deliveries SET ${REPLAY_SET} WHERE id = $1`, [id]);
        await client.query(NOTIFY);
        return { ok: true, id, previousStatus: row.status } as const;
      });
      if (outcome.ok) notifyNewWork();
      return outcome;
    },
    async replayMatching(filter) {
      const result = await inTransaction(pool, async (client) => {
        const matching = await counts(filter, client);
        const { where, values } = deliveryFilterSql(filter);
        const { rowCount } = await client.query(
          `UPDATE deliveries SET ${REPLAY_SET} WHERE ${where} AND status IN (${REPLAYABLE})`,
          values,
        );
        if ((rowCount ?? 0) > 0) await client.query(NOTIFY);
        const skipped: Partial<Record<DeliveryStatus, number>> = {};
        for (const status of DELIVERY_STATUSES) {
          const n = matching[status];
          const wanted = !filter.status || filter.status === status;
          if (wanted && n > 0 && !REPLAYABLE_STATUSES.includes(status)) skipped[status] = n;
        }
        return { replayed: rowCount ?? 0, skipped };
      });
      if (result.replayed > 0) notifyNewWork();
      return result;
    },
    prune: createPostgresPrune(pool),
  };
}

function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit ?? DEFAULT_PAGE_SIZE)));
}

function toAttempt(row: Record<string, unknown>): StoredAttempt {
  return {
    number: row.number as number,
    trigger: row.trigger as StoredAttempt["trigger"],
    worker: row.worker as string,
    startedAt: row.started_at as Date,
    endedAt: (row.ended_at as Date | null) ?? null,
    outcome: row.outcome as StoredAttempt["outcome"],
    error: row.error as string | null,
  };
}
