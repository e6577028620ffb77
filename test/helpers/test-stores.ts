import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { openPostgresStores } from "../../src/inbox/postgres/open-postgres-stores.ts";
import { openSqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { createTestDatabase, withClient } from "./postgres/create-test-database.ts";
import { startTcpProxy, type TcpProxy, throughProxy } from "./postgres/start-tcp-proxy.ts";

/** One inbox database for a test, on either implementation. */
export interface TestInbox {
  kind: StoreKind;
  /** What a receiver process needs to open the same database (DATABASE_PATH or DATABASE_URL). */
  env: Record<string, string>;
  /** Opens the stores over it; each call is another connection, as another process would have. */
  open(): Promise<Stores>;
  /**
   * Opens stores whose database the test can make fail and come back: a read-only SQLite
   * connection, or PostgreSQL behind a TCP proxy that drops every connection.
   */
  openWithOutage(): Promise<{ stores: Stores; cut(): void; restore(): void }>;
  /** The size of each row in `/readyz`'s scratch table, read on a connection of its own. */
  readinessProbeBytes(): Promise<number[]>;
  /** Closes every store opened here and deletes the database. */
  destroy(): Promise<void>;
}

export type StoreKind = "sqlite" | "postgres";

/** Every implementation the contract holds for: `describe.each(STORE_KINDS)`. */
export const STORE_KINDS: readonly StoreKind[] = ["sqlite", "postgres"];

export async function createTestInbox(kind: StoreKind): Promise<TestInbox> {
  const opened: Stores[] = [];
  const track = (stores: Stores) => {
    opened.push(stores);
    return stores;
  };
  const closeAll = () => Promise.all(opened.splice(0).map((stores) => stores.close()));
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "inbox-contract-"));
    const file = path.join(dir, "inbox.db");
    return {
      kind,
      env: { DATABASE_PATH: file },
      open: async () => track(openSqliteStores(file)),
      async openWithOutage() {
        const stores = openSqliteStores(file);
        track(stores);
        return {
          stores,
          // Both connections: the receiver's and the worker's own.
          cut: () => {
            for (const db of [stores.db, stores.workDb]) db.pragma("query_only = ON");
          },
          restore: () => {
            for (const db of [stores.db, stores.workDb]) db.pragma("query_only = OFF");
          },
        };
      },
      async readinessProbeBytes() {
        const db = new Database(file, { readonly: true });
        try {
          const rows = db.prepare("SELECT length(payload) AS n FROM readiness_probe").all();
          return (rows as { n: number }[]).map((row) => row.n);
        } finally {
          db.close();
        }
      },
      async destroy() {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase();
  const proxies: TcpProxy[] = [];
  return {
    kind,
    env: { DATABASE_URL: database.url },
    open: async () => track(await openPostgresStores(database.url)),
    async openWithOutage() {
      const proxy = await startTcpProxy(database.url);
      proxies.push(proxy);
      const stores = track(await openPostgresStores(throughProxy(database.url, proxy)));
      return { stores, cut: () => proxy.cut(), restore: () => proxy.restore() };
    },
    async readinessProbeBytes() {
      const { rows } = await withClient(database.url, (client) =>
        client.query<{ n: number }>("SELECT octet_length(payload) AS n FROM readiness_probe"),
      );
      return rows.map((row) => row.n);
    },
    async destroy() {
      await closeAll();
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await database.drop();
    },
  };
}
