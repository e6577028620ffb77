import type { StoreObservers, Stores } from "../stores.ts";
import { createSqliteInbox } from "./create-sqlite-inbox.ts";
import { createSqliteInspectStore } from "./create-sqlite-inspect-store.ts";
import { createSqliteSnapshots } from "./create-sqlite-snapshots.ts";
import { createSqliteWorkQueue } from "./create-sqlite-work-queue.ts";
import { createWakeups } from "./create-wakeups.ts";
import { type Db, openDatabase } from "./open-database.ts";

export interface SqliteStores extends Stores {
  /** The connection itself, for tests that check what is on disk. */
  db: Db;
  /** The worker's connection (claims, outcomes, snapshots), committed without fsync. */
  workDb: Db;
}

/** Opens (creating and migrating if needed) the SQLite inbox at `file` and every store over it. */
export function openSqliteStores(file: string, observers: StoreObservers = {}): SqliteStores {
  const db = openDatabase(file);
  // The worker's own connection commits without fsync: claims, outcomes and snapshots are redone
  // if a power loss takes them (a handler may run again: at least once, as after a crash), and
  // the next delivery's commit (FULL) makes them durable too. Two fsyncs per delivery processed
  // cost more than the ingest that produced it (bench/README.md).
  const workDb = file === ":memory:" ? db : openDatabase(file, { synchronous: "NORMAL" });
  // New pending work (a delivery stored, a replay) wakes this process's worker at once; other
  // processes sharing the file find it at their next poll.
  const wakeups = createWakeups();
  return {
    db,
    workDb,
    inbox: createSqliteInbox(db, wakeups.notify, observers),
    queue: createSqliteWorkQueue(workDb, wakeups.subscribe),
    snapshots: createSqliteSnapshots(workDb),
    inspect: createSqliteInspectStore(db, wakeups.notify),
    description: `sqlite ${file}`,
    async close() {
      for (const connection of [workDb, db]) if (connection.open) connection.close();
    },
  };
}
