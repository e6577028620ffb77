import type { Logger } from "pino";

/** What every handler gets besides the event; a source may add to it (`handlerContext`). */
export interface HandlerContext {
  /** The inbox id of the delivery: `npm run events -- show <id>` shows it. */
  deliveryId: number;
  /** 1 on the first run; higher on retries and replays. */
  attempt: number;
  /**
   * Stable across retries, replays and the sender's duplicates. Delivery is at least once (a
   * worker that dies mid-handler leaves the delivery to run again), so pass this key along to
   * anything outside this service that must happen exactly once.
   */
  idempotencyKey: string | null;
  /** A logger that already carries the delivery id, source and event type. */
  log: Logger;
  /** Aborted when the process shuts down and the drain deadline passes, or when the lease was lost. */
  signal: AbortSignal;
}
