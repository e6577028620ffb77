import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { DELIVERY_STATUSES } from "../inbox.ts";
import type { InspectStore, PruneResult } from "../inspect-store.ts";
import type { Db } from "./open-database.ts";
import { retryWhileBusy } from "./retry-while-busy.ts";

/** Deletes per transaction: short write locks, so that deliveries keep being recorded meanwhile. */
const DEFAULT_BATCH_SIZE = 1_000;

/** Unfinished work is never pruned, however old: a retrying delivery is still owed a handler run. */
const PRUNABLE_STATUSES = DELIVERY_STATUSES.filter(
  (status) => status !== "pending" && status !== "processing",
);
const UNFINISHED = "('pending', 'processing')";

/** One status at a time: a range of deliveries_by_status (status, received_at_ms). */
const PRUNABLE = "status = @status AND received_at_ms < @cutoffMs";

/** A snapshot is kept while any delivery that stays mentions its conversation. */
const UNREFERENCED_SNAPSHOT = `stored_at_ms < @cutoffMs AND NOT EXISTS (
  SELECT 1 FROM deliveries d WHERE d.entity_uid = conversation_snapshots.uid
    AND NOT (d.received_at_ms < @cutoffMs AND d.status NOT IN ${UNFINISHED}))`;

type Cutoff = { cutoffMs: number };

export function createSqlitePrune(db: Db): InspectStore["prune"] {
  const statements = {
    countDeliveries: db.prepare<Cutoff & { status: string }, { n: number }>(
      `SELECT count(*) AS n FROM deliveries WHERE ${PRUNABLE}`,
    ),
    countAttempts: db.prepare<Cutoff & { status: string }, { n: number }>(
      `SELECT count(*) AS n FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE ${PRUNABLE})`,
    ),
    nextBatch: db.prepare<Cutoff & { status: string; limit: number }, { id: number }>(
      `SELECT id FROM deliveries WHERE ${PRUNABLE} LIMIT @limit`,
    ),
    countBatchAttempts: db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM attempts WHERE delivery_id IN (SELECT value FROM json_each(?))",
    ),
    // Attempts go with their delivery (ON DELETE CASCADE); snapshots lose their delivery_id.
    deleteBatch: db.prepare<[string]>(
      "DELETE FROM deliveries WHERE id IN (SELECT value FROM json_each(?))",
    ),
    countSnapshots: db.prepare<Cutoff, { n: number }>(
      `SELECT count(*) AS n FROM conversation_snapshots WHERE ${UNREFERENCED_SNAPSHOT}`,
    ),
    // Keyset on the primary key: each batch starts where the last one stopped.
    nextSnapshots: db.prepare<Cutoff & { afterUid: string; limit: number }, { uid: string }>(
      `SELECT uid FROM conversation_snapshots WHERE uid > @afterUid ORDER BY uid LIMIT @limit`,
    ),
    deleteSnapshots: db.prepare<Cutoff & { uids: string }>(
      `DELETE FROM conversation_snapshots
       WHERE uid IN (SELECT value FROM json_each(@uids)) AND ${UNREFERENCED_SNAPSHOT}`,
    ),
    countRejections: db.prepare<Cutoff, { n: number }>(
      "SELECT count(*) AS n FROM rejections WHERE received_at_ms < @cutoffMs",
    ),
    deleteRejections: db.prepare<Cutoff>("DELETE FROM rejections WHERE received_at_ms < @cutoffMs"),
  };

  const deleteBatch = db.transaction((cutoffMs: number, status: string, limit: number) => {
    const rows = statements.nextBatch.all({ cutoffMs, status, limit });
    const ids = JSON.stringify(rows.map((row) => row.id));
    const attempts = statements.countBatchAttempts.get(ids)?.n ?? 0;
    return { deliveries: statements.deleteBatch.run(ids).changes, attempts };
  });

  const deleteSnapshotBatch = db.transaction(
    (cutoffMs: number, afterUid: string, limit: number) => {
      const uids = statements.nextSnapshots
        .all({ cutoffMs, afterUid, limit })
        .map((row) => row.uid);
      const { changes } = statements.deleteSnapshots.run({ cutoffMs, uids: JSON.stringify(uids) });
      return { deleted: changes, last: uids.at(-1) };
    },
  );

  function dryRun(cutoff: Date): PruneResult {
    const cutoffMs = cutoff.getTime();
    const sum = (statement: typeof statements.countDeliveries) =>
      PRUNABLE_STATUSES.reduce(
        (total, status) => total + (statement.get({ cutoffMs, status })?.n ?? 0),
        0,
      );
    return {
      cutoff,
      deliveries: sum(statements.countDeliveries),
      attempts: sum(statements.countAttempts),
      snapshots: statements.countSnapshots.get({ cutoffMs })?.n ?? 0,
      rejections: statements.countRejections.get({ cutoffMs })?.n ?? 0,
      dryRun: true,
    };
  }

  async function pruneSnapshots(cutoffMs: number, batchSize: number): Promise<number> {
    let deleted = 0;
    for (let afterUid = ""; ; ) {
      const batch = await retryWhileBusy(() =>
        deleteSnapshotBatch.immediate(cutoffMs, afterUid, batchSize),
      );
      deleted += batch.deleted;
      if (batch.last === undefined) return deleted;
      afterUid = batch.last;
      await yieldToEventLoop();
    }
  }

  return async function prune(cutoff, options = {}): Promise<PruneResult> {
    if (options.dryRun) return dryRun(cutoff);
    const cutoffMs = cutoff.getTime();
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const result: PruneResult = {
      cutoff,
      deliveries: 0,
      attempts: 0,
      snapshots: 0,
      rejections: 0,
      dryRun: false,
    };
    for (const status of PRUNABLE_STATUSES) {
      for (;;) {
        const batch = await retryWhileBusy(() =>
          deleteBatch.immediate(cutoffMs, status, batchSize),
        );
        result.deliveries += batch.deliveries;
        result.attempts += batch.attempts;
        await yieldToEventLoop();
        if (batch.deliveries < batchSize) break;
      }
    }
    result.snapshots = await pruneSnapshots(cutoffMs, batchSize);
    result.rejections = await retryWhileBusy(
      () => statements.deleteRejections.run({ cutoffMs }).changes,
    );
    return result;
  };
}
