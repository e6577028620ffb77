import type { Pool } from "./create-pool.ts";

const ABANDONED = "The lease expired: the worker that claimed it stopped before finishing.";
const BATCH = 100;

/**
 * Gives expired leases back, as the SQLite queue does when it claims: the open attempt is closed
 * as `abandoned` and the delivery is pending again (due at once, same trigger), unless it already
 * used `maxAttempts` in this run, when it is `dead`: a handler that kills its process must not
 * crash-loop. SKIP LOCKED: two instances reaping at once split the rows instead of waiting.
 */
export async function reapExpiredLeases(pool: Pool, maxAttempts: number): Promise<number> {
  const { rowCount } = await pool.query(
    `WITH expired AS (
       SELECT id, attempt_count - attempts_before_replay AS used FROM deliveries
       WHERE status = 'processing' AND lease_expires_at <= now()
       ORDER BY lease_expires_at LIMIT ${BATCH}
       FOR UPDATE SKIP LOCKED),
     reaped AS (
       UPDATE deliveries d SET
         status = CASE WHEN e.used >= $1 THEN 'dead' ELSE 'pending' END,
         lease_owner = NULL, lease_expires_at = NULL,
         last_error = CASE WHEN e.used >= $1
           THEN 'Every one of its ' || e.used || ' attempts ended with the worker''s process gone (crashed or killed); not trying again.'
           ELSE d.last_error END,
         processed_at = CASE WHEN e.used >= $1 THEN now() END
       FROM expired e WHERE d.id = e.id
       RETURNING d.id)
     UPDATE attempts SET ended_at = now(), outcome = 'abandoned', error = $2
     WHERE delivery_id IN (SELECT id FROM reaped) AND ended_at IS NULL`,
    [maxAttempts, ABANDONED],
  );
  return rowCount ?? 0;
}
