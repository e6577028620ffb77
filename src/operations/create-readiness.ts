import type { Logger } from "pino";
import type { WriteCheck } from "../inbox/inbox.ts";

export type ReadinessState =
  | { ready: true }
  | { ready: false; code: "draining" | "inbox_unwritable"; message: string };

export interface Readiness {
  /** The last write check if it is recent enough, else a new one (one at a time). */
  check(): Promise<ReadinessState>;
  /** From now on `check` answers "draining": shutdown has begun. */
  startDraining(): void;
}

export interface ReadinessOptions {
  /** The inbox's delivery-sized write check. */
  checkWritable: () => Promise<WriteCheck>;
  /** How long a result is reused: probes every second must not write every second. */
  cacheMs?: number;
  /** Monotonic milliseconds; tests move it. */
  nowMs?: () => number;
  /** Says why when the check starts failing, and when it passes again (not at every probe). */
  logger?: Pick<Logger, "warn" | "info">;
}

export const READINESS_CACHE_MS = 5_000;

/**
 * What `/readyz` answers. The write check runs at most once per `cacheMs` whatever the number of
 * probes (load balancers, orchestrators, several of each), and concurrent probes share the check
 * in flight. Draining wins over everything, at once: a load balancer must stop sending before
 * the listener closes.
 */
export function createReadiness(options: ReadinessOptions): Readiness {
  const cacheMs = options.cacheMs ?? READINESS_CACHE_MS;
  const nowMs = options.nowMs ?? (() => performance.now());
  let draining = false;
  let last: { atMs: number; result: WriteCheck } | undefined;
  let inFlight: Promise<WriteCheck> | undefined;

  async function writeCheck(): Promise<WriteCheck> {
    if (last && nowMs() - last.atMs < cacheMs) return last.result;
    inFlight ??= options
      .checkWritable()
      .catch((error: unknown): WriteCheck => ({ ok: false, error: String(error) }))
      .then((result) => {
        if (!result.ok && (last?.result.ok ?? true)) {
          options.logger?.warn({ error: result.error }, "readiness: the inbox write check fails");
        } else if (result.ok && last?.result.ok === false) {
          options.logger?.info("readiness: the inbox write check passes again");
        }
        last = { atMs: nowMs(), result };
        inFlight = undefined;
        return result;
      });
    return inFlight;
  }

  const drainingState: ReadinessState = {
    ready: false,
    code: "draining",
    message: "Shutting down: finishing running handlers; send new deliveries to another instance.",
  };

  return {
    async check() {
      if (draining) return drainingState;
      const result = await writeCheck();
      if (draining) return drainingState;
      if (result.ok) return { ready: true };
      return {
        ready: false,
        code: "inbox_unwritable",
        // The database's own words (a host name, a path) go to the log, not to this public probe.
        message:
          "The inbox cannot take a delivery-sized write now; deliveries would be answered 503. The server log says why.",
      };
    },
    startDraining() {
      draining = true;
    },
  };
}
