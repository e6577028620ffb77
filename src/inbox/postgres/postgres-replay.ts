import { DELIVERY_STATUSES, type DeliveryStatus } from "../inbox.ts";
import {
  type BulkReplayResult,
  type DeliveryFilter,
  type InspectStore,
  notReplayableReason,
  REPLAYABLE_STATUSES,
} from "../inspect-store.ts";
import type { Pool } from "./create-pool.ts";
import { deliveryFilterSql } from "./delivery-filter-sql.ts";
import { inTransaction } from "./in-transaction.ts";
import { NEW_WORK_CHANNEL } from "./listen-for-new-work.ts";

/** Rows per replay transaction: short row locks, so that workers and receivers keep going. */
export const REPLAY_BATCH_SIZE = 1_000;

/** Back to the queue, due now (the database's now), parsed again, with a fresh budget of attempts. */
const REPLAY_SET = `status = 'pending', next_attempt_at = now(), next_trigger = 'replay',
  last_error = NULL, processed_at = NULL, issues = NULL, attempts_before_replay = attempt_count`;

const REPLAYABLE = REPLAYABLE_STATUSES.map((status) => `'${status}'`).join(", ");

const NOTIFY = `SELECT pg_notify('${NEW_WORK_CHANNEL}', '')`;

export function createPostgresReplay(
  pool: Pool,
  notifyNewWork: () => void,
): Pick<InspectStore, "replay" | "replayMatching"> {
  /**
   * One transaction: the next batch after `afterId` among what was stored before the replay
   * started. Replayed rows become pending and leave the match, and the id cursor moves past what
   * was looked at, so no delivery is replayed twice by one call.
   */
  async function replayBatch(
    filter: DeliveryFilter,
    afterId: number,
    maxId: number,
  ): Promise<{ replayed: number; lastId: number | undefined }> {
    const sql = deliveryFilterSql(filter);
    const after = sql.param(afterId);
    const max = sql.param(maxId);
    const limit = sql.param(REPLAY_BATCH_SIZE);
    return inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ id: number }>(
        `WITH batch AS (
           SELECT id FROM deliveries
           WHERE ${sql.where} AND status IN (${REPLAYABLE}) AND id > ${after} AND id <= ${max}
           ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
         UPDATE deliveries SET ${REPLAY_SET} FROM batch WHERE deliveries.id = batch.id
         RETURNING deliveries.id`,
        sql.values,
      );
      if (rows.length > 0) await client.query(NOTIFY);
      const lastId = rows.length > 0 ? Math.max(...rows.map((row) => row.id)) : undefined;
      return { replayed: rows.length, lastId };
    });
  }

  return {
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
      const { rows } = await pool.query<{ id: number | null }>(
        "SELECT max(id) AS id FROM deliveries",
      );
      const maxId = rows[0]?.id ?? 0;
      const result: BulkReplayResult = { replayed: 0, skipped: await countSkipped(filter, maxId) };
      let afterId = 0;
      for (;;) {
        const batch = await replayBatch(filter, afterId, maxId);
        result.replayed += batch.replayed;
        if (batch.replayed > 0) notifyNewWork();
        if (batch.replayed < REPLAY_BATCH_SIZE || batch.lastId === undefined) return result;
        afterId = batch.lastId;
      }
    },
  };

  /** Exact, for the statuses a replay leaves alone (few rows: they are not finished ones). */
  async function countSkipped(
    filter: DeliveryFilter,
    maxId: number,
  ): Promise<BulkReplayResult["skipped"]> {
    const sql = deliveryFilterSql(filter);
    const { rows } = await pool.query<{ status: DeliveryStatus; n: number }>(
      `SELECT status, count(*)::int AS n FROM deliveries
       WHERE ${sql.where} AND status NOT IN (${REPLAYABLE}) AND id <= ${sql.param(maxId)}
       GROUP BY status`,
      sql.values,
    );
    const skipped: BulkReplayResult["skipped"] = {};
    for (const status of DELIVERY_STATUSES) {
      const n = rows.find((row) => row.status === status)?.n ?? 0;
      if (n > 0) skipped[status] = n;
    }
    return skipped;
  }
}
