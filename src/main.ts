import type { AddressInfo } from "node:net";
import { createApp } from "./app.ts";
import { type DevSecrets, resolveSecrets } from "./config/dev-secrets.ts";
import { type Config, loadConfig } from "./config/load-config.ts";
import { createHttpServer } from "./create-http-server.ts";
import { createSqliteInbox } from "./inbox/create-sqlite-inbox.ts";
import { openDatabase } from "./inbox/open-database.ts";
import { createLogger } from "./log/create-logger.ts";
import { createSources } from "./sources/create-sources.ts";

/** How long a graceful shutdown may take before open connections are cut. */
const SHUTDOWN_DEADLINE_MS = 10_000;

const loaded = loadConfig();
if (!loaded.ok) fatal(loaded.error);
const secrets = resolveSecrets(loaded.value);
if (!secrets.ok) fatal(secrets.error);
const config = secrets.config;

const logger = createLogger({ level: config.logLevel });
const inbox = createSqliteInbox(openDatabase(config.databasePath));
const sources = createSources(config);
const app = createApp({ inbox, sources, logger, bodyLimitBytes: config.bodyLimitBytes });

const server = createHttpServer(app);
server.listen({ port: config.port, host: config.host }, () => {
  const { port } = server.address() as AddressInfo;
  logger.info(
    {
      port,
      database: config.databasePath,
      bodyLimitBytes: config.bodyLimitBytes,
      sources: Object.fromEntries(sources.map((source) => [source.name, source.authSummary])),
    },
    "webhook-inbox listening",
  );
  if (config.credo.auth === "none")
    logger.warn("CREDO_AUTH=none: Credo AI signatures are NOT verified");
  if (config.capturi.auth === "none")
    logger.warn("CAPTURI_AUTH=none: anyone can post Capturi events");
  printSetup(config, port, secrets.generated);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => shutDown(signal));

function shutDown(signal: string): void {
  logger.info({ signal }, "shutting down");
  const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_DEADLINE_MS).unref();
  server.close(() => {
    clearTimeout(deadline);
    inbox.close();
    logger.info("stopped");
  });
  server.closeIdleConnections();
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
