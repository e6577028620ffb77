import pg from "pg";
import type { Logger } from "pino";

/** Every instance LISTENs here; an insert or replay of runnable work notifies in its transaction. */
export const NEW_WORK_CHANNEL = "webhook_inbox_new_work";

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export interface NewWorkListener {
  /** Returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * One dedicated connection (not from the pool: a pooled one would be handed to others) that
 * LISTENs for new work and calls the subscribers. When it drops (server restart, failover, idle
 * timeout on the way), it reconnects with backoff and then wakes the subscribers once, since work
 * may have arrived meanwhile. Opened at the first subscription, so the CLI never holds one.
 */
export function createNewWorkListener(
  url: string,
  logger?: Pick<Logger, "warn" | "info">,
): NewWorkListener {
  const listeners = new Set<() => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const wakeAll = () => {
    for (const listener of listeners) listener();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url, application_name: "webhook-inbox listen" });
    next.on("notification", wakeAll);
    next.on("error", (error) => dropped(next, error));
    next.on("end", () => dropped(next, new Error("the connection ended")));
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${NEW_WORK_CHANNEL}`);
      if (retryMs > RECONNECT_MIN_MS) logger?.info("listening for new work again");
      retryMs = RECONNECT_MIN_MS;
      wakeAll();
    } catch (error) {
      dropped(next, error as Error);
    }
  }

  function dropped(which: pg.Client, error: Error): void {
    if (client !== which || closed) return;
    client = undefined;
    which.end().catch(() => {});
    logger?.warn(
      { err: error, retryInMs: retryMs },
      "the LISTEN connection dropped; workers poll until it is back",
    );
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(RECONNECT_MAX_MS, retryMs * 2);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!client && !timer && !closed) void connect();
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
