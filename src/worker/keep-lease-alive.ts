import type { Logger } from "pino";
import type { Claim, WorkQueue } from "../inbox/work-queue.ts";

export interface LeaseOptions {
  queue: WorkQueue;
  leaseMs: number;
  now: () => Date;
  logger: Logger;
  /** Called once if the lease was lost. */
  onLost?: () => void;
}

/**
 * Renews a claim's lease every third of its length, so that a slow handler keeps it. If it was
 * lost anyway (the process stalled for longer than the lease and another worker took over), the
 * handler's signal aborts. Stops on its own once the signal aborts; the returned function stops it.
 */
export function keepLeaseAlive(
  claim: Claim,
  abort: AbortController,
  options: LeaseOptions,
): () => void {
  const { queue, leaseMs, now, logger } = options;
  const renew = async () => {
    try {
      const held = await queue.renewLease(claim, leaseMs, now());
      if (!held && !abort.signal.aborted) {
        options.onLost?.();
        abort.abort(new Error("The lease was lost: another worker took this delivery over."));
      }
    } catch (error) {
      logger.warn({ err: error, deliveryId: claim.delivery.id }, "lease renewal failed");
    }
  };
  const timer = setInterval(renew, leaseMs / 3);
  const stop = () => clearInterval(timer);
  abort.signal.addEventListener("abort", stop, { once: true });
  return stop;
}
