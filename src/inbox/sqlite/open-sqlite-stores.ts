import type { Stores } from "../stores.ts";
import { createSqliteInbox } from "./create-sqlite-inbox.ts";
import { createSqliteInspectStore } from "./create-sqlite-inspect-store.ts";
import { createSqliteSnapshots } from "./create-sqlite-snapshots.ts";
import { createSqliteWorkQueue } from "./create-sqlite-work-queue.ts";
import { createWakeups } from "./create-wakeups.ts";
import { type Db, openDatabase } from "./open-database.ts";

export interface SqliteStores extends Stores {
  /** The connection itself, for tests that check what is on disk. */
  db: Db;
}

/** Opens (creating and migrating if needed) the SQLite inbox at `file` and every store over it. */
export function openSqliteStores(file: string): SqliteStores {
  const db = openDatabase(file);
  // New pending work (a delivery stored, a replay) wakes this process's worker at once; other
  // processes sharing the file find it at their next poll.
  const wakeups = createWakeups();
  return {
    db,
    inbox: createSqliteInbox(db, wakeups.notify),
    queue: createSqliteWorkQueue(db, wakeups.subscribe),
    snapshots: createSqliteSnapshots(db),
    inspect: createSqliteInspectStore(db, wakeups.notify),
    description: `sqlite ${file}`,
    async close() {
      if (db.open) db.close();
    },
  };
}
