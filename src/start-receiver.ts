import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { createApp } from "./app.ts";
import type { Config } from "./config/load-config.ts";
import { createHttpServer } from "./http/create-http-server.ts";
import { listen } from "./http/listen.ts";
import { describeDatabase } from "./inbox/database-url.ts";
import { openStores } from "./inbox/open-stores.ts";
import { scheduleRetention } from "./inspect/schedule-retention.ts";
import { countApiRequests } from "./operations/count-api-requests.ts";
import { createMetrics, type Metrics } from "./operations/create-metrics.ts";
import { createReadiness } from "./operations/create-readiness.ts";
import { configureSources } from "./sources/configure-sources.ts";
import type { AnySourceDefinition } from "./sources/source-definition.ts";
import { createDeliveryProcessor } from "./worker/create-delivery-processor.ts";
import { createWorker } from "./worker/create-worker.ts";

export interface RunningReceiver {
  server: Server;
  port: number;
  /** Which database holds the inbox, for the start-up log (never a password). */
  database: string;
  metrics: Metrics;
  /**
   * `/readyz` turns 503 at once; after SHUTDOWN_DELAY_SECONDS stop accepting, stop claiming, let
   * running handlers finish until the deadline, give back the others, close the database.
   */
  stop(): Promise<{ finished: number; released: number }>;
}

export interface ReceiverOptions {
  config: Config;
  /** The providers to receive from: `sources` of `src/handlers/index.ts`. */
  sources: readonly AnySourceDefinition[];
  /** `handlers` of `src/handlers/index.ts`. */
  handlers: object;
  logger: Logger;
  /**
   * Development Standard Webhooks secrets by source (`resolveSecrets`), for the inspect page's
   * "Copy as curl"; never configured ones.
   */
  developmentSigningSecrets?: Readonly<Record<string, string>>;
}

/**
 * Wires one receiver process: database, sources, app, HTTP server and worker, all from a
 * validated config. `main.ts` calls it with the sources and handlers of `src/handlers/`; tests
 * call it with their own.
 */
export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const { config, handlers, logger } = options;
  // The stores report their commits to the metrics, whose gauges read the stores: the metrics
  // are created once the stores are open, and commits before that are not counted.
  let metrics: Metrics | undefined;
  const stores = await openStores({
    ...config,
    logger,
    observers: { commitBatchSize: (size) => metrics?.commitBatchSize(size) },
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the inbox (${describeDatabase(config)}) cannot be opened: ${reason}`, {
      cause: error,
    });
  });
  const sources = configureSources(options.sources, config.sources);
  metrics = createMetrics({
    sources: sources.map((source) => source.name),
    inspect: stores.inspect,
    queue: stores.queue,
  });
  const readiness = createReadiness({
    checkWritable: () => stores.inbox.checkWritable(),
    logger,
  });
  const worker = createWorker({
    queue: stores.queue,
    process: createDeliveryProcessor({
      sources,
      handlers,
      services: {
        snapshots: stores.snapshots,
        fetch: countApiRequests(globalThis.fetch, metrics.apiRequest),
      },
      logger,
    }),
    logger,
    ...config.worker,
    observers: metrics,
  });
  const app = createApp({
    inbox: stores.inbox,
    sources,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    readiness,
    metrics,
    trustProxy: config.trustProxy,
    inspect: {
      store: stores.inspect,
      token: config.inspectToken,
      trustLoopback: config.env !== "production",
      ...(options.developmentSigningSecrets
        ? { developmentSigningSecrets: options.developmentSigningSecrets }
        : {}),
    },
  });
  const server = createHttpServer(app);
  // A taken port rejects here (for run-receiver to explain), with nothing left open.
  await listen(server, { port: config.port, host: config.host }).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
  worker.start();
  const retention = scheduleRetention({
    store: stores.inspect,
    retentionDays: config.retentionDays,
    logger,
  });

  return {
    server,
    port: (server.address() as AddressInfo).port,
    database: stores.description,
    metrics,
    async stop() {
      readiness.startDraining();
      if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forceClose = setTimeout(
        () => server.closeAllConnections(),
        config.shutdownDeadlineMs,
      ).unref();
      const drained = await worker.stop(config.shutdownDeadlineMs);
      await retention.stop();
      await closed;
      clearTimeout(forceClose);
      await stores.close();
      return drained;
    },
  };
}
