import { resolveSecrets } from "./config/dev-secrets.ts";
import { loadConfig } from "./config/load-config.ts";
import { printSetup } from "./config/print-setup.ts";
import { handlers } from "./handlers/index.ts";
import { createLogger } from "./log/create-logger.ts";
import { startReceiver } from "./start-receiver.ts";

const loaded = loadConfig();
if (!loaded.ok) fatal(loaded.error);
const secrets = resolveSecrets(loaded.value);
if (!secrets.ok) fatal(secrets.error);
const config = secrets.config;
const logger = createLogger({ level: config.logLevel });

const receiver = await startReceiver(config, handlers, logger);
logger.info(
  {
    port: receiver.port,
    database: config.databasePath,
    bodyLimitBytes: config.bodyLimitBytes,
    capturiApi: config.capturiApi.baseUrl,
    sources: receiver.authSummaries,
    worker: { concurrency: config.worker.concurrency, maxAttempts: config.worker.maxAttempts },
  },
  "webhook-inbox listening",
);
if (config.credo.auth === "none")
  logger.warn("CREDO_AUTH=none: Credo AI signatures are NOT verified");
if (config.capturi.auth === "none")
  logger.warn("CAPTURI_AUTH=none: anyone can post Capturi events");
printSetup(config, receiver.port, secrets.generated);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    logger.info({ signal }, "shutting down");
    logger.info(await receiver.stop(), "stopped");
  });
}

function fatal(message: string): never {
  process.stderr.write(`webhook-inbox cannot start: ${message}\n`);
  process.exit(1);
}
