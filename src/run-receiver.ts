import type { Logger } from "pino";
import { resolveSecrets } from "./config/dev-secrets.ts";
import { type Config, DEFAULT_PORT, loadConfig } from "./config/load-config.ts";
import { describeSources, printSetup } from "./config/print-setup.ts";
import {
  localReceiverUrl,
  RECEIVER_FILE,
  removeReceiverFile,
  writeReceiverFile,
} from "./config/receiver-file.ts";
import { describeListenError } from "./http/describe-listen-error.ts";
import { createLogger } from "./log/create-logger.ts";
import type { AnySourceDefinition } from "./sources/source-definition.ts";
import { type RunningReceiver, startReceiver } from "./start-receiver.ts";

export interface RunOptions {
  sources: readonly AnySourceDefinition[];
  handlers: object;
  env?: Record<string, string | undefined>;
  /** Runs after the receiver stopped on SIGINT/SIGTERM, e.g. to close what the handlers opened. */
  afterStop?: () => Promise<void> | void;
}

/**
 * What `npm start` does: read the environment, fill in development secrets, start the receiver,
 * say where to point each provider, and stop cleanly on SIGINT/SIGTERM. A bad setting prints one
 * line that names it and exits 1.
 */
export async function runReceiver(options: RunOptions): Promise<RunningReceiver> {
  const { sources, handlers, env = process.env } = options;
  const loaded = loadConfig(env, sources);
  if (!loaded.ok) fatal(loaded.error);
  const secrets = resolveSecrets(loaded.value, sources);
  if (!secrets.ok) fatal(secrets.error);
  const { config, generated, developmentSigningSecrets } = secrets;
  const logger = createLogger({ level: config.logLevel });

  // A taken port, or the inbox's database unreachable at start (PostgreSQL): one line, exit 1.
  const receiver = await startReceiver({
    config,
    sources,
    handlers,
    logger,
    developmentSigningSecrets,
  }).catch((error: unknown) => {
    const next = config.port === 0 ? DEFAULT_PORT : config.port + 1;
    const taken = describeListenError(
      error,
      config.port,
      `choose another with PORT, e.g. PORT=${next} npm start`,
    );
    fatal(taken ?? (error as Error).message);
  });
  const baseUrl = `http://localhost:${receiver.port}`;
  const described = describeSources(config, sources, { baseUrl, generated });
  logger.info(
    {
      port: receiver.port,
      database: receiver.database,
      bodyLimitBytes: config.bodyLimitBytes,
      sources: Object.fromEntries(described.map((source) => [source.name, source.authSummary])),
      worker: { concurrency: config.worker.concurrency, maxAttempts: config.worker.maxAttempts },
    },
    "webhook-inbox listening",
  );
  for (const warning of described.flatMap((source) => source.warnings)) logger.warn(warning);
  printSetup(config, described, generated);
  recordWhereItListens(config, receiver.port, logger);
  stopOnSignals(receiver, logger, config, () => {
    removeReceiverFile(config.dataDir);
    return options.afterStop?.();
  });
  return receiver;
}

/** `npm run send`, `sandbox` and `subscriptions` read `<DATA_DIR>/receiver.json` to find it. */
function recordWhereItListens(config: Config, port: number, logger: Logger): void {
  try {
    writeReceiverFile(config.dataDir, {
      url: localReceiverUrl(config.host, port),
      pid: process.pid,
    });
  } catch (error) {
    logger.warn(
      { err: error },
      `cannot write ${RECEIVER_FILE}: the developer tools will not find this receiver`,
    );
  }
}

/** What `stop` may take beyond its delay and deadline (closing the database, `afterStop`). */
const EXIT_GRACE_MS = 5_000;

/**
 * Stops cleanly on SIGINT/SIGTERM, then exits: a handler that ignores `ctx.signal` (a long timer,
 * a socket without a timeout) would otherwise keep the process alive after its delivery was
 * given back. If stopping itself hangs, the process exits 1 after the deadline and a grace.
 */
function stopOnSignals(
  receiver: RunningReceiver,
  logger: Logger,
  config: Config,
  afterStop: RunOptions["afterStop"],
): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, async () => {
      logger.info({ signal }, "shutting down");
      const limitMs = config.shutdownDelayMs + config.shutdownDeadlineMs + EXIT_GRACE_MS;
      setTimeout(() => {
        logger.error({ limitMs }, "shutdown did not finish in time; exiting");
        process.exit(1);
      }, limitMs).unref();
      logger.info(await receiver.stop(), "stopped");
      await afterStop?.();
      process.exit(0);
    });
  }
}

function fatal(message: string): never {
  process.stderr.write(`webhook-inbox cannot start: ${message}\n`);
  process.exit(1);
}
