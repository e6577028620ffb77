import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import supertest from "supertest";
import { createApp } from "../../src/app.ts";
import type { InspectStore } from "../../src/inbox/inspect-store.ts";
import type { Db } from "../../src/inbox/sqlite/open-database.ts";
import { openSqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import { createTestSources } from "./create-test-receiver.ts";

export interface InspectTestApp {
  app: ReturnType<typeof createApp>;
  request: ReturnType<typeof supertest>;
  store: InspectStore;
  db: Db;
  databasePath: string;
  close(): void;
}

/** The real app with the inspect pages mounted, over a real SQLite file in a temp folder. */
export function createInspectTestApp(
  options: { token?: string; trustLoopback?: boolean } = {},
): InspectTestApp {
  const dir = mkdtempSync(path.join(tmpdir(), "inspect-test-"));
  const databasePath = path.join(dir, "inbox.db");
  const stores = openSqliteStores(databasePath);
  const { db, inspect: store } = stores;
  const sources = createTestSources();
  const app = createApp({
    inbox: stores.inbox,
    sources,
    logger: pino({ level: "silent" }),
    bodyLimitBytes: 5 * 1024 * 1024,
    inspect: { store, token: options.token, trustLoopback: options.trustLoopback ?? true },
  });
  return {
    app,
    request: supertest(app),
    store,
    db,
    databasePath,
    close() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
