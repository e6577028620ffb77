import type { DeliveryStatus } from "../inbox.ts";
import { type InspectStore, notRetryableNowReason } from "../inspect-store.ts";
import type { Pool } from "./create-pool.ts";
import { inTransaction } from "./in-transaction.ts";
import { NEW_WORK_CHANNEL } from "./listen-for-new-work.ts";

/**
 * Due now instead of at the end of its backoff: only `next_attempt_at` moves (to the database's
 * now, the clock claims compare with), so the attempt count, the trigger and the budget stay. The
 * `pg_notify` wakes idle workers on every instance at COMMIT; `now` only judges "still waiting".
 */
export function createPostgresRetryNow(
  pool: Pool,
  notifyNewWork: () => void,
): InspectStore["retryNow"] {
  return async (id) => {
    const outcome = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{
        status: DeliveryStatus;
        next_attempt_at: Date;
        db_now: Date;
      }>(
        "SELECT status, next_attempt_at, now() AS db_now FROM deliveries WHERE id = $1 FOR UPDATE",
        [id],
      );
      const row = rows[0];
      if (!row) return { ok: false, id, code: "not_found", reason: `No delivery ${id}.` } as const;
      const reason = notRetryableNowReason(
        { status: row.status, nextAttemptAt: row.next_attempt_at },
        row.db_now,
      );
      if (reason) return { ok: false, id, code: "not_waiting", reason } as const;
      const updated = await client.query<{ next_attempt_at: Date; attempt_count: number }>(
        `UPDATE deliveries SET next_attempt_at = now() WHERE id = $1
         RETURNING next_attempt_at, attempt_count`,
        [id],
      );
      await client.query(`SELECT pg_notify('${NEW_WORK_CHANNEL}', '')`);
      const after = updated.rows[0] as { next_attempt_at: Date; attempt_count: number };
      return {
        ok: true,
        id,
        nextAttemptAt: after.next_attempt_at,
        attemptCount: after.attempt_count,
      } as const;
    });
    if (outcome.ok) notifyNewWork();
    return outcome;
  };
}
