import { pino } from "pino";
import type { Handlers } from "../../src/handlers/define-handlers.ts";
import { openSqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import { capturiSource } from "../../src/sources/capturi/capturi-source.ts";
import { createDeliveryProcessor } from "../../src/worker/create-delivery-processor.ts";
import { createWorker, type WorkerOptions } from "../../src/worker/create-worker.ts";
import { createTestSources } from "./create-test-receiver.ts";

export interface WorkerHarnessOptions {
  databasePath: string;
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
  const stores = openSqliteStores(options.databasePath);
  const { db } = stores;
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
    db,
    worker,
    close: () => {
      db.close();
    },
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
