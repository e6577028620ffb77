import type { DeliveryStatus } from "../inbox.ts";
import {
  DEFAULT_PAGE_SIZE,
  type InspectStore,
  MAX_PAGE_SIZE,
  NEW_DELIVERIES_WINDOW,
  notReplayableReason,
  notRetryableNowReason,
  type StoredAttempt,
  toDeliveryPage,
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
import { countArrivals, listArrivals } from "./postgres-arrivals.ts";
import { createPostgresIntervalCounts } from "./postgres-interval-counts.ts";
import { createPostgresPrune } from "./postgres-prune.ts";
import { createPostgresRejections } from "./postgres-rejections.ts";
import { createPostgresReplay } from "./postgres-replay.ts";
import { createPostgresRetryNow } from "./postgres-retry-now.ts";
import { countByStatus } from "./postgres-status-counts.ts";
import { type SnapshotRow, toStoredSnapshot } from "./snapshot-row.ts";

export function createPostgresInspectStore(
  pool: Pool,
  notifyNewWork: () => void = () => {},
): InspectStore {
  async function newestId(): Promise<number> {
    const { rows } = await pool.query<{ id: number | null }>(
      "SELECT max(id) AS id FROM deliveries",
    );
    return rows[0]?.id ?? 0;
  }

  async function withArrivals(rows: SummaryRow[]) {
    const counts = await countArrivals(
      pool,
      rows.map((row) => row.id),
    );
    return rows.map((row) => toSummary(row, counts.get(row.id)));
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
      return toDeliveryPage(await withArrivals(rows), limit, await newestId());
    },
    async listNewDeliveries(filter, afterId, limit) {
      // A bounded stretch of newer ids, matching or not, so that a poll with a rare filter
      // never walks the whole table.
      const window = await pool.query<{ id: number | null }>(
        `SELECT max(id) AS id FROM (
           SELECT id FROM deliveries WHERE id > $1 ORDER BY id LIMIT $2) AS newer`,
        [afterId, NEW_DELIVERIES_WINDOW],
      );
      const throughId = window.rows[0]?.id ?? afterId;
      const sql = deliveryFilterSql(filter);
      const clamped = clampLimit(limit);
      const { rows } = await pool.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM deliveries
         WHERE id > ${sql.param(afterId)} AND id <= ${sql.param(throughId)} AND ${sql.where}
         ORDER BY id LIMIT ${sql.param(clamped)}`,
        sql.values,
      );
      const full = rows.length === clamped;
      return {
        deliveries: await withArrivals(rows),
        seenThroughId: full ? (rows.at(-1)?.id ?? afterId) : throughId,
      };
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
    countByStatus: (filter) => countByStatus(pool, filter),
    async getDelivery(id) {
      const { rows } = await pool.query<DeliveryRow>("SELECT * FROM deliveries WHERE id = $1", [
        id,
      ]);
      const row = rows[0];
      if (!row) return undefined;
      const [attempts, snapshots, arrivals] = await Promise.all([
        pool.query("SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY number, id", [id]),
        row.entity_uid
          ? pool.query<SnapshotRow>("SELECT * FROM conversation_snapshots WHERE uid = $1", [
              row.entity_uid,
            ])
          : undefined,
        listArrivals(pool, row),
      ]);
      const snapshot = snapshots?.rows[0];
      const reason = notReplayableReason(row.status);
      const delivery = toStoredDelivery(row);
      const notNow = notRetryableNowReason(delivery, new Date());
      return {
        delivery,
        attempts: attempts.rows.map(toAttempt),
        snapshot: snapshot ? toStoredSnapshot(snapshot) : undefined,
        replayable: reason ? { ok: false, reason } : { ok: true },
        ...arrivals,
        retryableNow: notNow ? { ok: false, reason: notNow } : { ok: true },
      };
    },
    countByInterval: createPostgresIntervalCounts(pool),
    ...createPostgresRejections(pool, clampLimit),
    ...createPostgresReplay(pool, notifyNewWork),
    retryNow: createPostgresRetryNow(pool, notifyNewWork),
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
