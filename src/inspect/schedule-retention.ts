import type { Logger } from "pino";
import type { InspectStore } from "../inbox/inspect-store.ts";

export interface RetentionOptions {
  store: InspectStore;
  /** Deliveries received longer ago than this are pruned; 0 keeps everything. */
  retentionDays: number;
  logger: Logger;
  /** How often to prune; hourly by default. */
  intervalMs?: number;
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/**
 * Prunes once soon after start and then every `intervalMs`, never two runs at once. `stop()`
 * waits for a run in progress, so that the database is not closed under it.
 */
export function scheduleRetention(options: RetentionOptions): { stop(): Promise<void> } {
  const { store, retentionDays, logger } = options;
  const now = options.now ?? (() => new Date());
  if (retentionDays <= 0) {
    logger.info("RETENTION_DAYS=0: deliveries are kept forever");
    return { stop: async () => {} };
  }
  let running: Promise<void> | undefined;
  let stopped = false;

  function run(): void {
    if (running || stopped) return;
    const cutoff = new Date(now().getTime() - retentionDays * DAY_MS);
    running = store
      .prune(cutoff)
      .then((result) => {
        if (result.deliveries + result.rejections + result.snapshots > 0) {
          logger.info({ ...result, retentionDays }, "pruned old deliveries");
        }
      })
      .catch((error: unknown) =>
        logger.error({ err: error }, "pruning failed; retrying at the next run"),
      )
      .finally(() => {
        running = undefined;
      });
  }

  const first = setTimeout(run, 1_000);
  const timer = setInterval(run, options.intervalMs ?? 3_600_000);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
