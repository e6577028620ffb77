import pg from "pg";
import type { Logger } from "pino";

export interface PoolOptions {
  /** Connections at most, per process: see docs/more-than-one-instance.md for sizing. */
  maxConnections?: number;
  /** Names this process in `pg_stat_activity`. */
  applicationName?: string;
  logger?: Pick<Logger, "error" | "warn">;
}

/** Waiting longer for a connection than this answers 503: a sender retries, a 2xx never lies. */
const CONNECT_TIMEOUT_MS = 5_000;
const INT8_OID = 20;

/**
 * bigint ids and counts as numbers (they stay far below 2^53); everything else as pg parses it.
 * Set on this pool only, not on the global `pg.types`, so that nothing else in the process changes.
 */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

/**
 * Every connection turns `synchronous_commit` on itself, whatever the database or role default
 * says: "a 2xx means it is stored" must not depend on a server setting someone else changed.
 * Write transactions also say it with SET LOCAL (see `inTransaction`), which holds even behind a
 * transaction-mode PgBouncer where session settings do not stick.
 */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? "webhook-inbox",
    types,
    // Awaited before the connection is handed out; if it fails, the caller gets the error.
    onConnect: async (client) => {
      await client.query("SET synchronous_commit = on");
    },
  });
  // An idle connection that the server closes (restart, failover) must not crash the process:
  // the pool drops it and opens a new one when it is next needed.
  pool.on("error", (error) =>
    options.logger?.warn({ err: error }, "an idle PostgreSQL connection failed; it is replaced"),
  );
  return pool;
}

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
