import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { InspectStore, PruneResult } from "../inspect-store.ts";
import type { Db } from "./open-database.ts";

/** Deletes per transaction: short write locks, so that deliveries keep being recorded meanwhile. */
const DEFAULT_BATCH_SIZE = 2_000;

/** Unfinished work is never pruned, however old: a retrying delivery is still owed a handler run. */
const PRUNABLE = "received_at_ms < @cutoffMs AND status NOT IN ('pending', 'processing')";

/** A snapshot is kept while any delivery that stays mentions its conversation. */
const UNREFERENCED_SNAPSHOT = `stored_at_ms < @cutoffMs AND NOT EXISTS (
  SELECT 1 FROM deliveries d WHERE d.entity_uid = conversation_snapshots.uid
    AND NOT (d.received_at_ms < @cutoffMs AND d.status NOT IN ('pending', 'processing')))`;

export function createSqlitePrune(db: Db): InspectStore["prune"] {
  const statements = {
    countDeliveries: db.prepare<{ cutoffMs: number }, { n: number }>(
      `SELECT count(*) AS n FROM deliveries WHERE ${PRUNABLE}`,
    ),
    countAttempts: db.prepare<{ cutoffMs: number }, { n: number }>(
      `SELECT count(*) AS n FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE ${PRUNABLE})`,
    ),
    nextBatch: db.prepare<{ cutoffMs: number; limit: number }, { id: number }>(
      `SELECT id FROM deliveries WHERE ${PRUNABLE} ORDER BY received_at_ms LIMIT @limit`,
    ),
    countBatchAttempts: db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM attempts WHERE delivery_id IN (SELECT value FROM json_each(?))",
    ),
    // Attempts go with their delivery (ON DELETE CASCADE); snapshots lose their delivery_id.
    deleteBatch: db.prepare<[string]>(
      "DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(?))",
    ),
    countSnapshots: db.prepare<{ cutoffMs: number }, { n: number }>(
      `SELECT count(*) AS n FROM conversation_snapshots WHERE ${UNREFERENCED_SNAPSHOT}`,
    ),
    deleteSnapshots: db.prepare<{ cutoffMs: number }>(
      `DELETE FROM conversation_snapshots WHERE ${UNREFERENCED_SNAPSHOT}`,
    ),
    countRejections: db.prepare<{ cutoffMs: number }, { n: number }>(
      "SELECT count(*) AS n FROM rejections WHERE received_at_ms < @cutoffMs",
    ),
    deleteRejections: db.prepare<{ cutoffMs: number }>(
      "DELETE FROM rejections WHERE received_at_ms < @cutoffMs",
    ),
  };
  const count = (statement: typeof statements.countDeliveries, cutoffMs: number) =>
    statement.get({ cutoffMs })?.n ?? 0;

  const deleteBatch = db.transaction((cutoffMs: number, limit: number) => {
    const ids = JSON.stringify(statements.nextBatch.all({ cutoffMs, limit }).map((row) => row.id));
    const attempts = statements.countBatchAttempts.get(ids)?.n ?? 0;
    return { deliveries: statements.deleteBatch.run(ids).changes, attempts };
  });

  return async function prune(cutoff, options = {}): Promise<PruneResult> {
    const cutoffMs = cutoff.getTime();
    if (options.dryRun) {
      return {
        cutoff,
        deliveries: count(statements.countDeliveries, cutoffMs),
        attempts: count(statements.countAttempts, cutoffMs),
        snapshots: count(statements.countSnapshots, cutoffMs),
        rejections: count(statements.countRejections, cutoffMs),
        dryRun: true,
      };
    }
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const result: PruneResult = {
      cutoff,
      deliveries: 0,
      attempts: 0,
      snapshots: 0,
      rejections: 0,
      dryRun: false,
    };
    for (;;) {
      const batch = deleteBatch.immediate(cutoffMs, batchSize);
      result.deliveries += batch.deliveries;
      result.attempts += batch.attempts;
      if (batch.deliveries < batchSize) break;
      await yieldToEventLoop();
    }
    result.snapshots = statements.deleteSnapshots.run({ cutoffMs }).changes;
    result.rejections = statements.deleteRejections.run({ cutoffMs }).changes;
    return result;
  };
}
