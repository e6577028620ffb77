import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createApp } from "./app.ts";
import { createCapturiClient } from "./clients/capturi/create-capturi-client.ts";
import type { Config } from "./config/load-config.ts";
import { createConversationLoader } from "./conversations/create-conversation-loader.ts";
import type { Handlers } from "./handlers/define-handlers.ts";
import { createHttpServer } from "./http/create-http-server.ts";
import { openStores } from "./inbox/open-stores.ts";
import { scheduleRetention } from "./inspect/schedule-retention.ts";
import { createSources } from "./sources/create-sources.ts";
import { createDeliveryProcessor } from "./worker/create-delivery-processor.ts";
import { createWorker } from "./worker/create-worker.ts";

export interface RunningReceiver {
  server: Server;
  port: number;
  /** Each source's authentication, for the start-up log (never a secret). */
  authSummaries: Record<string, string>;
  /** Stop accepting, stop claiming, let running handlers finish until the deadline, close the database. */
  stop(): Promise<{ finished: number; released: number }>;
}

/**
 * Wires one receiver process: database, sources, app, HTTP server and worker, all from a
 * validated config. `main.ts` calls it with the handlers of `src/handlers/`; tests call it with
 * their own.
 */
export async function startReceiver(
  config: Config,
  handlers: Handlers,
  logger: Logger,
): Promise<RunningReceiver> {
  const stores = openStores(config);
  const sources = createSources(config);
  const conversations = createConversationLoader({
    client: createCapturiClient({ ...config.capturiApi }),
    snapshots: stores.snapshots,
  });
  const worker = createWorker({
    queue: stores.queue,
    process: createDeliveryProcessor({ sources, handlers, conversations, logger }),
    logger,
    ...config.worker,
  });
  const app = createApp({
    inbox: stores.inbox,
    sources,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    inspect: {
      store: stores.inspect,
      token: config.inspectToken,
      trustLoopback: config.env !== "production",
    },
  });
  const server = createHttpServer(app);
  await new Promise<void>((resolve) =>
    server.listen({ port: config.port, host: config.host }, resolve),
  );
  worker.start();
  const retention = scheduleRetention({
    store: stores.inspect,
    retentionDays: config.retentionDays,
    logger,
  });

  return {
    server,
    port: (server.address() as AddressInfo).port,
    authSummaries: Object.fromEntries(sources.map((source) => [source.name, source.authSummary])),
    async stop() {
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
