import type { Logger } from "pino";
import type { StoreObservers, Stores } from "../stores.ts";
import { createPool, type Pool } from "./create-pool.ts";
import { createPostgresInbox } from "./create-postgres-inbox.ts";
import { createPostgresInspectStore } from "./create-postgres-inspect-store.ts";
import { createPostgresSnapshots } from "./create-postgres-snapshots.ts";
import { createPostgresWorkQueue } from "./create-postgres-work-queue.ts";
import { createNewWorkListener } from "./listen-for-new-work.ts";
import { migrate } from "./migrate.ts";
import { redactDatabaseUrl } from "./redact-database-url.ts";

export interface PostgresStoresOptions {
  /** Pooled connections of this process (the LISTEN connection is one more). */
  maxConnections?: number;
  logger?: Pick<Logger, "info" | "warn" | "error">;
  observers?: StoreObservers;
}

export interface PostgresStores extends Stores {
  /** The pool itself, for tests that check what is in the database. */
  pool: Pool;
  /** `synchronous_commit` as this process's connections run it, and the database's default. */
  synchronousCommit: { session: string; databaseDefault: string };
}

/**
 * Connects, migrates (under an advisory lock: many instances may start at once) and returns every
 * store over one pool. Rejects, without leaving connections open, when the database cannot be
 * reached or migrated.
 */
export async function openPostgresStores(
  url: string,
  options: PostgresStoresOptions = {},
): Promise<PostgresStores> {
  const { logger } = options;
  const pool = createPool(url, {
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
    ...(logger ? { logger } : {}),
  });
  let synchronousCommit: PostgresStores["synchronousCommit"];
  try {
    await migrate(pool);
    synchronousCommit = await readSynchronousCommit(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const description = `postgres ${redactDatabaseUrl(url)}`;
  logger?.info({ database: description, synchronousCommit }, "inbox on PostgreSQL");
  if (synchronousCommit.databaseDefault !== "on") {
    logger?.warn(
      { synchronousCommit },
      "the database's default synchronous_commit is not on; this process sets it on for each of its connections",
    );
  }
  // New pending work (a delivery stored, a replay) wakes this process's worker at once, and the
  // workers of every other instance through LISTEN/NOTIFY.
  const listener = createNewWorkListener(url, logger);
  const local = new Set<() => void>();
  const notifyLocal = () => {
    for (const wake of local) wake();
  };
  return {
    pool,
    synchronousCommit,
    inbox: createPostgresInbox(pool, {
      notifyNewWork: notifyLocal,
      ...(options.observers ? { observers: options.observers } : {}),
    }),
    queue: createPostgresWorkQueue(pool, {
      subscribe(wake) {
        local.add(wake);
        const stopListening = listener.subscribe(wake);
        return () => {
          local.delete(wake);
          stopListening();
        };
      },
    }),
    snapshots: createPostgresSnapshots(pool),
    inspect: createPostgresInspectStore(pool, notifyLocal),
    description,
    async close() {
      if (pool.ending) return;
      await listener.close();
      await pool.end();
    },
  };
}

async function readSynchronousCommit(pool: Pool): Promise<PostgresStores["synchronousCommit"]> {
  const { rows } = await pool.query<{ session: string; database_default: string }>(
    `SELECT current_setting('synchronous_commit') AS session,
       coalesce((SELECT reset_val FROM pg_settings WHERE name = 'synchronous_commit'), '?') AS database_default`,
  );
  return {
    session: rows[0]?.session ?? "?",
    databaseDefault: rows[0]?.database_default ?? "?",
  };
}
