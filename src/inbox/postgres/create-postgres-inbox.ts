import { randomBytes } from "node:crypto";
import type { Inbox, NewDelivery, NewRejection, RecordResult, WriteCheck } from "../inbox.ts";
import { READINESS_WRITE_BYTES, REJECTION_BODY_BYTES, REJECTION_LOG_SIZE } from "../inbox.ts";
import type { StoreObservers } from "../stores.ts";
import { createBatcher } from "./create-batcher.ts";
import type { Pool } from "./create-pool.ts";
import { insertDeliveries, MAX_ROWS_PER_INSERT } from "./insert-deliveries.ts";
import { POSTGRES_MIGRATIONS } from "./migrations/index.ts";

export interface PostgresInboxOptions {
  /** Called after the commit of each new pending delivery (this process's own workers). */
  notifyNewWork?: () => void;
  /** Batches committing at once (each holds one pooled connection while it does). */
  maxBatchesInFlight?: number;
  observers?: StoreObservers;
}

const MAX_BATCH_BYTES = 16 * 1024 * 1024;

export function createPostgresInbox(pool: Pool, options: PostgresInboxOptions = {}): Inbox {
  const notifyNewWork = options.notifyNewWork ?? (() => {});
  // Deliveries that arrive together share one INSERT and one COMMIT; each is answered after it.
  const { observers = {} } = options;
  const expectedVersion = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
  const batcher = createBatcher<NewDelivery, RecordResult>(
    (batch) => {
      observers.commitBatchSize?.(batch.length);
      return recordBatch(pool, batch);
    },
    {
      maxInFlight: options.maxBatchesInFlight ?? 4,
      maxItems: Math.min(500, MAX_ROWS_PER_INSERT),
      maxBytes: MAX_BATCH_BYTES,
      sizeOf: (delivery) => delivery.body.length,
    },
  );

  return {
    async recordDelivery(delivery) {
      const result = await batcher.run(delivery);
      if (!result.duplicate && result.status === "pending") notifyNewWork();
      return result;
    },
    async recordRejection(rejection) {
      await pool.query(
        `WITH inserted AS (
           INSERT INTO rejections (source, method, path, status_code, code, message, headers,
             body_excerpt, body_bytes, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id)
         DELETE FROM rejections WHERE id <= (SELECT id FROM inserted) - ${REJECTION_LOG_SIZE}`,
        rejectionValues(rejection),
      );
    },
    async checkWritable(): Promise<WriteCheck> {
      try {
        const { rows } = await pool.query<{ version: number | null }>(
          "SELECT max(version) AS version FROM schema_migrations",
        );
        const version = rows[0]?.version ?? 0;
        if (version < expectedVersion) {
          return {
            ok: false,
            error: `schema version ${version}, this build needs ${expectedVersion}`,
          };
        }
        // A standby (after a failover, say) answers reads but refuses this. Random bytes: zeros
        // would compress to nothing in TOAST, and the write would not be delivery-sized.
        await pool.query(
          `WITH inserted AS (INSERT INTO readiness_probe (payload) VALUES ($1) RETURNING id)
           DELETE FROM readiness_probe WHERE id < (SELECT id FROM inserted)`,
          [randomBytes(READINESS_WRITE_BYTES)],
        );
        return { ok: true };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
  };
}

/**
 * One transaction for the batch; if it fails, each delivery is tried alone, so that one row the
 * database refuses (or a deadlock with another instance) fails only its own request.
 */
async function recordBatch(
  pool: Pool,
  batch: NewDelivery[],
): Promise<PromiseSettledResult<RecordResult>[]> {
  try {
    const results = await insertDeliveries(pool, batch);
    return results.map((value) => ({ status: "fulfilled", value }));
  } catch (error) {
    if (batch.length === 1) return [{ status: "rejected", reason: error }];
    return Promise.allSettled(
      batch.map(async (delivery) => {
        const [result] = await insertDeliveries(pool, [delivery]);
        if (!result) throw new Error("the insert returned no result");
        return result;
      }),
    );
  }
}

function rejectionValues(rejection: NewRejection): unknown[] {
  return [
    rejection.source,
    rejection.method,
    rejection.path,
    rejection.statusCode,
    rejection.code,
    rejection.message,
    JSON.stringify(rejection.headers),
    rejection.bodyExcerpt.subarray(0, REJECTION_BODY_BYTES),
    rejection.bodyBytes,
    rejection.receivedAt,
  ];
}
