import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { createApp } from "../../src/app.ts";
import { createHttpServer, type HttpServerOptions } from "../../src/http/create-http-server.ts";
import type { Inbox } from "../../src/inbox/inbox.ts";
import type { Db } from "../../src/inbox/sqlite/open-database.ts";
import { openSqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import { createLogger } from "../../src/log/create-logger.ts";
import { createTestSources } from "./create-test-receiver.ts";

export interface ListeningReceiver {
  server: Server;
  port: number;
  baseUrl: string;
  inbox: Inbox;
  db: Db;
  close(): Promise<void>;
}

export interface ListenOptions extends HttpServerOptions {
  bodyLimitBytes?: number;
}

/**
 * The real app behind the real HTTP server (`createHttpServer`, with its timeouts and header
 * limit) on a loopback port, over a real SQLite file: for tests that need raw sockets, which
 * supertest cannot give.
 */
export async function listenTestReceiver(options: ListenOptions = {}): Promise<ListeningReceiver> {
  const dir = mkdtempSync(path.join(tmpdir(), "inbox-listen-"));
  const stores = openSqliteStores(path.join(dir, "inbox.db"));
  const { db, inbox } = stores;
  const app = createApp({
    inbox,
    sources: createTestSources(),
    logger: createLogger({
      level: "warn",
      destination: new Writable({ write: (_c, _e, done) => done() }),
    }),
    bodyLimitBytes: options.bodyLimitBytes ?? 5 * 1024 * 1024,
  });
  const server = createHttpServer(app, options);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    inbox,
    db,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
