import type { Logger } from "pino";
import { describeDatabase, isPostgresUrl } from "./database-url.ts";
import { openPostgresStores } from "./postgres/open-postgres-stores.ts";
import { openSqliteStores } from "./sqlite/open-sqlite-stores.ts";
import type { StoreObservers, Stores } from "./stores.ts";

export interface StoresOptions {
  /** The SQLite file of the embedded default. */
  databasePath: string;
  /** `postgres://…` or `postgresql://…`: every store on that PostgreSQL database instead. */
  databaseUrl?: string | undefined;
  /** PostgreSQL connections of this process (the LISTEN connection is one more). */
  databasePoolSize?: number;
  /** Start-up facts (e.g. synchronous_commit) and connection trouble; never a password. */
  logger?: Pick<Logger, "info" | "warn" | "error">;
  /** Told about each group commit, for `/metrics`. */
  observers?: StoreObservers;
}

/**
 * Opens the inbox the configuration names: PostgreSQL when a URL is set (connecting and migrating
 * first), else the SQLite file.
 */
export async function openStores(options: StoresOptions): Promise<Stores> {
  const { databaseUrl, databasePoolSize, logger, observers } = options;
  if (!databaseUrl) return openSqliteStores(options.databasePath, observers);
  if (!isPostgresUrl(databaseUrl)) {
    throw new Error(`unsupported database URL: ${describeDatabase(options)}`);
  }
  return openPostgresStores(databaseUrl, {
    ...(databasePoolSize ? { maxConnections: databasePoolSize } : {}),
    ...(logger ? { logger } : {}),
    ...(observers ? { observers } : {}),
  });
}
