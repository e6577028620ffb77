import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { InspectStore, PruneResult } from "../inspect-store.ts";
import type { Pool, PoolClient } from "./create-pool.ts";

/** Deletes per statement: short transactions, so that vacuum and replicas keep up. */
const DEFAULT_BATCH_SIZE = 2_000;

/** Held while pruning: with several instances, one prunes and the others skip that run. */
export const PRUNE_LOCK = "hashtext('webhook-inbox: prune')";

/** Unfinished work is never pruned, however old: a retrying delivery is still owed a handler run. */
const PRUNABLE = "received_at < $1 AND status NOT IN ('pending', 'processing')";

/** A snapshot is kept while any delivery that stays mentions its conversation. */
const UNREFERENCED_SNAPSHOT = `stored_at < $1 AND NOT EXISTS (
  SELECT 1 FROM deliveries d WHERE d.entity_uid = conversation_snapshots.uid
    AND NOT (d.received_at < $1 AND d.status NOT IN ('pending', 'processing')))`;

export function createPostgresPrune(pool: Pool): InspectStore["prune"] {
  return async function prune(cutoff, options = {}): Promise<PruneResult> {
    if (options.dryRun) return countPrunable(pool, cutoff);
    const result: PruneResult = {
      cutoff,
      deliveries: 0,
      attempts: 0,
      snapshots: 0,
      rejections: 0,
      dryRun: false,
    };
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${PRUNE_LOCK}) AS locked`,
      );
      // Another instance is pruning right now: this run has nothing left to do.
      if (!rows[0]?.locked) return result;
      try {
        await deleteAll(client, cutoff, options.batchSize ?? DEFAULT_BATCH_SIZE, result);
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${PRUNE_LOCK})`);
      }
      return result;
    } finally {
      client.release();
    }
  };
}

async function deleteAll(
  client: PoolClient,
  cutoff: Date,
  batchSize: number,
  result: PruneResult,
): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ deliveries: number; attempts: number }>(
      `WITH batch AS (
         SELECT id FROM deliveries WHERE ${PRUNABLE} ORDER BY received_at LIMIT $2
         FOR UPDATE SKIP LOCKED),
       gone_attempts AS (DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM batch) RETURNING 1),
       gone AS (DELETE FROM deliveries WHERE id IN (SELECT id FROM batch) RETURNING 1)
       SELECT (SELECT count(*) FROM gone) AS deliveries, (SELECT count(*) FROM gone_attempts) AS attempts`,
      [cutoff, batchSize],
    );
    const batch = rows[0] ?? { deliveries: 0, attempts: 0 };
    result.deliveries += batch.deliveries;
    result.attempts += batch.attempts;
    if (batch.deliveries < batchSize) break;
    await yieldToEventLoop();
  }
  const snapshots = await client.query(
    `DELETE FROM conversation_snapshots WHERE ${UNREFERENCED_SNAPSHOT}`,
    [cutoff],
  );
  result.snapshots = snapshots.rowCount ?? 0;
  const rejections = await client.query("DELETE FROM rejections WHERE received_at < $1", [cutoff]);
  result.rejections = rejections.rowCount ?? 0;
}

async function countPrunable(pool: Pool, cutoff: Date): Promise<PruneResult> {
  const { rows } = await pool.query<Omit<PruneResult, "cutoff" | "dryRun">>(
    `SELECT
       (SELECT count(*) FROM deliveries WHERE ${PRUNABLE}) AS deliveries,
       (SELECT count(*) FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE ${PRUNABLE})) AS attempts,
       (SELECT count(*) FROM conversation_snapshots WHERE ${UNREFERENCED_SNAPSHOT}) AS snapshots,
       (SELECT count(*) FROM rejections WHERE received_at < $1) AS rejections`,
    [cutoff],
  );
  const counts = rows[0] ?? { deliveries: 0, attempts: 0, snapshots: 0, rejections: 0 };
  return { cutoff, ...counts, dryRun: true };
}
