import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import supertest from "supertest";
import { createApp } from "../../src/app.ts";
import type { InspectStore } from "../../src/inbox/inspect-store.ts";
import type { Db } from "../../src/inbox/sqlite/open-database.ts";
import { openSqliteStores, type SqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { createTestSources, type TestReceiverOptions } from "./create-test-receiver.ts";

export interface InspectTestApp {
  app: ReturnType<typeof createApp>;
  request: ReturnType<typeof supertest>;
  store: InspectStore;
  db: Db;
  databasePath: string;
  close(): void;
}

/**
 * The real app with the inspect pages mounted, over a real SQLite file in a temp folder (or over
 * `options.stores`, which the caller then closes).
 */
export function createInspectTestApp(
  options: {
    token?: string;
    trustLoopback?: boolean;
    stores?: Stores;
    developmentSigningSecrets?: Record<string, string>;
    now?: () => Date;
    /** Capturi's settings over the test ones, e.g. another `tokenHeader`. */
    capturi?: TestReceiverOptions["capturi"];
  } = {},
): InspectTestApp {
  const dir = options.stores ? undefined : mkdtempSync(path.join(tmpdir(), "inspect-test-"));
  const databasePath = path.join(dir ?? "", "inbox.db");
  const stores = options.stores ?? openSqliteStores(databasePath);
  const { inspect: store } = stores;
  const sources = createTestSources(options.capturi ? { capturi: options.capturi } : {});
  const app = createApp({
    inbox: stores.inbox,
    sources,
    logger: pino({ level: "silent" }),
    bodyLimitBytes: 5 * 1024 * 1024,
    ...(options.now ? { now: options.now } : {}),
    inspect: {
      store,
      token: options.token,
      trustLoopback: options.trustLoopback ?? true,
      ...(options.developmentSigningSecrets
        ? { developmentSigningSecrets: options.developmentSigningSecrets }
        : {}),
    },
  });
  return {
    app,
    request: supertest(app),
    store,
    get db(): Db {
      if (!("db" in stores))
        throw new Error(`no SQLite file: this app runs on ${stores.description}`);
      return (stores as SqliteStores).db;
    },
    databasePath,
    close() {
      if (!dir) return;
      void stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
