import type { AddressInfo } from "node:net";
import { createApp } from "./app.ts";
import { createCapturiClient } from "./clients/capturi/create-capturi-client.ts";
import { type DevSecrets, resolveSecrets } from "./config/dev-secrets.ts";
import { type Config, loadConfig } from "./config/load-config.ts";
import { createConversationLoader } from "./conversations/create-conversation-loader.ts";
import { createHttpServer } from "./create-http-server.ts";
import { handlers } from "./handlers/index.ts";
import { createSqliteInbox } from "./inbox/create-sqlite-inbox.ts";
import { createSqliteSnapshots } from "./inbox/create-sqlite-snapshots.ts";
import { createSqliteWorkQueue } from "./inbox/create-sqlite-work-queue.ts";
import type { Inbox } from "./inbox/inbox.ts";
import { openDatabase } from "./inbox/open-database.ts";
import { createLogger } from "./log/create-logger.ts";
import { createSources } from "./sources/create-sources.ts";
import { createDeliveryProcessor } from "./worker/create-delivery-processor.ts";
import { createWorker } from "./worker/create-worker.ts";

const loaded = loadConfig();
if (!loaded.ok) fatal(loaded.error);
const secrets = resolveSecrets(loaded.value);
if (!secrets.ok) fatal(secrets.error);
const config = secrets.config;

const logger = createLogger({ level: config.logLevel });
const db = openDatabase(config.databasePath);
const sources = createSources(config);

const conversations = createConversationLoader({
  client: createCapturiClient({ ...config.capturiApi }),
  snapshots: createSqliteSnapshots(db),
});
const worker = createWorker({
  queue: createSqliteWorkQueue(db),
  process: createDeliveryProcessor({ sources, handlers, conversations, logger }),
  logger,
  ...config.worker,
});
const inbox = wakingWorker(createSqliteInbox(db));
const app = createApp({ inbox, sources, logger, bodyLimitBytes: config.bodyLimitBytes });

const server = createHttpServer(app);
server.listen({ port: config.port, host: config.host }, () => {
  const { port } = server.address() as AddressInfo;
  logger.info(
    {
      port,
      database: config.databasePath,
      bodyLimitBytes: config.bodyLimitBytes,
      capturiApi: config.capturiApi.baseUrl,
      sources: Object.fromEntries(sources.map((source) => [source.name, source.authSummary])),
    },
    "webhook-inbox listening",
  );
  if (config.credo.auth === "none")
    logger.warn("CREDO_AUTH=none: Credo AI signatures are NOT verified");
  if (config.capturi.auth === "none")
    logger.warn("CAPTURI_AUTH=none: anyone can post Capturi events");
  printSetup(config, port, secrets.generated);
  worker.start();
});

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void shutDown(signal));

/** Stop accepting, stop claiming, let running handlers finish until the deadline, close the database. */
async function shutDown(signal: string): Promise<void> {
  logger.info({ signal }, "shutting down");
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const forceClose = setTimeout(
    () => server.closeAllConnections(),
    config.shutdownDeadlineMs,
  ).unref();
  const drained = await worker.stop(config.shutdownDeadlineMs);
  await closed;
  clearTimeout(forceClose);
  db.close();
  logger.info(drained, "stopped");
}

/** A new pending delivery wakes the worker at once instead of at its next poll. */
function wakingWorker(base: Inbox): Inbox {
  return {
    ...base,
    async recordDelivery(delivery) {
      const result = await base.recordDelivery(delivery);
      if (!result.duplicate && result.status === "pending") worker.wake();
      return result;
    },
  };
}

/** The human part of start-up: where to point each provider, on stderr beside the JSON logs. */
function printSetup(config: Config, port: number, generated: Partial<DevSecrets>): void {
  const base = `http://localhost:${port}`;
  const tokenHeader = config.capturi.tokenHeader;
  const lines = [
    "",
    `  Capturi   ${base}/webhooks/capturi   (POST, PUT or PATCH)`,
    config.capturi.auth === "none"
      ? "            no authentication (CAPTURI_AUTH=none)"
      : `            header ${tokenHeader}: ${tokenHeader === "authorization" ? "Bearer " : ""}${generated.capturiToken ?? "<one of CAPTURI_TOKENS>"}`,
    `  Credo AI  ${base}/webhooks/credo     (POST, signed by Svix)`,
    config.credo.auth === "none"
      ? "            signatures not verified (CREDO_AUTH=none)"
      : `            signing secret ${generated.credoWebhookSecret ?? "<one of CREDO_WEBHOOK_SECRETS>"}`,
  ];
  if (generated.capturiToken || generated.credoWebhookSecret) {
    lines.push(
      "",
      `  Development secrets were generated once and are kept in ${config.dataDir}/dev-secrets.json.`,
      "  Set CAPTURI_TOKENS and CREDO_WEBHOOK_SECRETS for anything real (NODE_ENV=production requires them).",
    );
  }
  process.stderr.write(`${lines.join("\n")}\n\n`);
}

function fatal(message: string): never {
  process.stderr.write(`webhook-inbox cannot start: ${message}\n`);
  process.exit(1);
}
