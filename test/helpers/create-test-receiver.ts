import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import supertest from "supertest";
import { createApp } from "../../src/app.ts";
import type { Inbox, StoredDelivery, StoredRejection } from "../../src/inbox/inbox.ts";
import type { Db } from "../../src/inbox/sqlite/open-database.ts";
import { openSqliteStores, type SqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { createLogger } from "../../src/log/create-logger.ts";
import { createReadiness } from "../../src/operations/create-readiness.ts";
import type { CapturiSettings } from "../../src/sources/capturi/capturi-settings.ts";
import { capturiSource } from "../../src/sources/capturi/capturi-source.ts";
import { configureSources } from "../../src/sources/configure-sources.ts";
import type { CredoSettings } from "../../src/sources/credo/credo-settings.ts";
import { credoSource } from "../../src/sources/credo/credo-source.ts";

export const TEST_CREDO_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const TEST_CREDO_SECRET_2 = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
export const TEST_CAPTURI_TOKEN = "capturi-test-token-5f0c1b7e9a2d4c63b8e1f4a7d2c9e0b6";

export interface TestReceiverOptions {
  credo?: Partial<CredoSettings>;
  capturi?: Partial<CapturiSettings>;
  bodyLimitBytes?: number;
  now?: () => Date;
  /** Reuse a database file, e.g. to check what survives a restart. */
  databasePath?: string;
  /** Stores opened by the test (e.g. on PostgreSQL, see `createTestInbox`); it closes them. */
  stores?: Stores;
  /** How long `/readyz` reuses a write check; 0 here (tests cut the database and look at once). */
  readinessCacheMs?: number;
}

export interface TestReceiver {
  request: ReturnType<typeof supertest>;
  inbox: Inbox;
  stores: Stores;
  /** The SQLite connection; throws when the receiver runs on other stores. */
  db: Db;
  /** The stored delivery, as the inspect store reads it. */
  delivery(id: number): Promise<StoredDelivery | undefined>;
  /** The newest refused requests, newest first. */
  rejections(limit: number): Promise<StoredRejection[]>;
  databasePath: string;
  /** Every JSON log line written so far, raw. */
  logs: string[];
  close(): void;
}

/** The built-in source definitions, as `src/handlers/index.ts` lists them. */
export const TEST_SOURCE_DEFINITIONS = [capturiSource, credoSource] as const;

/**
 * The real sources with their default settings (as an empty environment gives them) and the
 * secrets the tests know; options override parts.
 */
export function createTestSources(options: Pick<TestReceiverOptions, "credo" | "capturi"> = {}) {
  return configureSources(TEST_SOURCE_DEFINITIONS, {
    capturi: {
      ...capturiSource.settings.parse({}),
      tokens: [TEST_CAPTURI_TOKEN],
      ...options.capturi,
    },
    credo: {
      ...credoSource.settings.parse({}),
      secrets: [TEST_CREDO_SECRET],
      ...options.credo,
    },
  });
}

/**
 * The real app over a real SQLite file in a temp folder (or over `options.stores`), with secrets
 * the tests know.
 */
export function createTestReceiver(options: TestReceiverOptions = {}): TestReceiver {
  const ownStores = !options.stores;
  const dir =
    options.databasePath || !ownStores
      ? undefined
      : mkdtempSync(path.join(tmpdir(), "inbox-test-"));
  const databasePath = options.databasePath ?? path.join(dir ?? "", "inbox.db");
  const stores: Stores = options.stores ?? openSqliteStores(databasePath);
  const { inbox } = stores;
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const sources = createTestSources(options);
  const app = createApp({
    inbox,
    sources,
    logger: createLogger({ level: "info", destination }),
    bodyLimitBytes: options.bodyLimitBytes ?? 5 * 1024 * 1024,
    readiness: createReadiness({
      checkWritable: () => inbox.checkWritable(),
      cacheMs: options.readinessCacheMs ?? 0,
    }),
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    request: supertest(app),
    inbox,
    stores,
    get db(): Db {
      if (!("db" in stores))
        throw new Error(`no SQLite file: this receiver runs on ${stores.description}`);
      return (stores as SqliteStores).db;
    },
    delivery: async (id) => (await stores.inspect.getDelivery(id))?.delivery,
    rejections: (limit) => stores.inspect.listRejections({ limit }),
    databasePath,
    logs,
    close() {
      if (ownStores) void stores.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
