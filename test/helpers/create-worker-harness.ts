import { pino } from "pino";
import type { Handlers } from "../../src/handlers/define-handlers.ts";
import { openSqliteStores, type SqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { capturiSource } from "../../src/sources/capturi/capturi-source.ts";
import { createDeliveryProcessor } from "../../src/worker/create-delivery-processor.ts";
import { createWorker, type WorkerOptions } from "../../src/worker/create-worker.ts";
import { createTestSources } from "./create-test-receiver.ts";

export interface WorkerHarnessOptions {
  /** The SQLite file to open a connection to; ignored when `stores` are given. */
  databasePath?: string;
  /** Stores the test opened (e.g. on PostgreSQL); `close()` closes them. */
  stores?: Stores;
  handlers: Handlers;
  /** The Integration API the conversation loader talks to (a fake one on loopback). */
  capturiApiUrl?: string;
  worker?: Partial<Omit<WorkerOptions, "queue" | "process" | "logger">>;
}

/**
 * A real worker over its own connection to a real SQLite file, as a second process would have,
 * with the real sources, processor, conversation loader and Integration API client.
 */
export function createWorkerHarness(options: WorkerHarnessOptions) {
  const stores = options.stores ?? openSqliteStores(options.databasePath ?? ":memory:");
  // The worker's own connection: what a test does to it (query_only) the worker feels.
  const db = "workDb" in stores ? (stores as SqliteStores).workDb : undefined;
  const logger = pino({ level: "silent" });
  const sources = createTestSources({
    capturi: {
      api: {
        ...capturiSource.settings.parse({}).api,
        baseUrl: options.capturiApiUrl ?? "http://127.0.0.1:9",
        token: "capturi-api-token",
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      },
    },
  });
  const worker = createWorker({
    queue: stores.queue,
    process: createDeliveryProcessor({
      sources,
      handlers: options.handlers,
      services: { snapshots: stores.snapshots },
      logger,
    }),
    logger,
    concurrency: 4,
    maxAttempts: 3,
    leaseMs: 5_000,
    backoff: { baseDelayMs: 1, maxDelayMs: 5 },
    pollIntervalMs: 20,
    ...options.worker,
  });
  return {
    /** The SQLite connection (undefined on other stores). */
    db,
    stores,
    worker,
    close: () => stores.close(),
  };
}

/** Polls until `check` holds; gives up (and fails the test) after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
