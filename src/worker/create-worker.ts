import { randomUUID } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Logger } from "pino";
import type { AttemptOutcome, Claim, WorkQueue } from "../inbox/work-queue.ts";
import type { AttemptLabel } from "../operations/create-metrics.ts";
import { type BackoffOptions, backoffDelayMs } from "../retry/backoff-delay.ts";
import type { ProcessDelivery } from "./create-delivery-processor.ts";
import { keepLeaseAlive } from "./keep-lease-alive.ts";
import { logOutcome } from "./log-outcome.ts";

export interface WorkerOptions {
  queue: WorkQueue;
  process: ProcessDelivery;
  logger: Logger;
  /** Handlers running at once. */
  concurrency: number;
  /** Attempts in all, the first included; after the last failure the delivery is `dead`. */
  maxAttempts: number;
  /** How long a claim holds without renewal; a claim of a dead process is taken over after it. */
  leaseMs: number;
  backoff: BackoffOptions;
  /** The longest an idle worker sleeps before looking again (new deliveries also wake it). */
  pollIntervalMs?: number;
  /** Names this worker in leases and attempts. */
  id?: string;
  now?: () => Date;
  random?: () => number;
  /** Told about every attempt, for `/metrics`. */
  observers?: WorkerObservers;
}

export interface WorkerObservers {
  attempt?(source: string, outcome: AttemptLabel, handlerSeconds: number): void;
  /** A first run (not a replay) succeeded this long after its receipt. */
  done?(source: string, secondsSinceReceipt: number): void;
  leaseLost?(): void;
}

export interface Worker {
  start(): void;
  /**
   * Stops claiming, lets running handlers finish until `deadlineMs`, then aborts their signal and
   * gives their deliveries back, so that they run after the next start.
   */
  stop(deadlineMs: number): Promise<{ finished: number; released: number }>;
}

/** The shortest nap between two looks at an idle queue. */
const MIN_IDLE_MS = 10;
/**
 * How long claims and the synchronous part of their handlers may hold the event loop before
 * the worker yields: what an acknowledgement may wait for the worker, at most (plus one handler).
 */
const TURN_BUDGET_MS = 2;

export function createWorker(options: WorkerOptions): Worker {
  const { queue, logger, concurrency, maxAttempts, leaseMs, backoff, observers = {} } = options;
  const id = options.id ?? `worker-${randomUUID().slice(0, 8)}`;
  const now = options.now ?? (() => new Date());
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  // Keyed by attempt: the same delivery can be claimed again while a lost run is still going.
  const running = new Map<
    number,
    { claim: Claim; done: Promise<void>; abort: AbortController; startedAtMs: number }
  >();
  let stopping = false;
  let loop: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let wakeUp: (() => void) | undefined;

  /**
   * One attempt: run the handler, then record its outcome. When the claim was given back
   * (shutdown) or lost (another worker took over an expired lease), the outcome is not recorded:
   * the delivery belongs to someone else now.
   */
  async function run(claim: Claim, abort: AbortController, startedAtMs: number): Promise<void> {
    const { source } = claim.delivery;
    // Every line about this delivery carries the id of the request that brought it.
    const log = logger.child({ requestId: claim.delivery.requestId ?? null });
    let lost = false;
    const stopRenewing = keepLeaseAlive(claim, abort, {
      queue,
      leaseMs,
      now,
      logger: log,
      onLost() {
        lost = true;
        observers.leaseLost?.();
      },
    });
    try {
      const outcome = await attempt(claim, abort.signal);
      const seconds = (performance.now() - startedAtMs) / 1000;
      // Given back at the shutdown deadline (counted as released by stop), or lost.
      if (abort.signal.aborted) {
        if (lost) observers.attempt?.(source, "lost", seconds);
        return;
      }
      await queue.finish(claim, outcome, now());
      logOutcome(log, claim, outcome);
      observers.attempt?.(source, attemptLabel(outcome), seconds);
      if (outcome.kind === "succeeded" && claim.trigger !== "replay") {
        observers.done?.(source, (now().getTime() - claim.delivery.receivedAt.getTime()) / 1000);
      }
    } catch (error) {
      // Only the inbox fails here: the lease expires and the delivery runs again.
      log.error({ err: error, deliveryId: claim.delivery.id }, "could not record the outcome");
    } finally {
      stopRenewing();
    }
  }

  /** The handler's result as an outcome; a thrown error is a failure, retried while attempts last. */
  async function attempt(claim: Claim, signal: AbortSignal): Promise<AttemptOutcome> {
    try {
      return await options.process(claim, signal);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const delayMs = backoffDelayMs(claim.attemptsThisRun, backoff, options.random);
      const retryAt =
        claim.attemptsThisRun < maxAttempts ? new Date(now().getTime() + delayMs) : null;
      return { kind: "failed", error: message, retryAt };
    }
  }

  async function claimAndRunLoop(): Promise<void> {
    while (!stopping) {
      try {
        await claimUpToCapacity();
        await sleepUntilWoken(await idleDelayMs());
      } catch (error) {
        // The inbox failing (disk full, locked too long) is an outage, not a bug: keep trying.
        logger.error({ err: error }, "worker could not read the inbox; trying again");
        await sleepUntilWoken(pollIntervalMs);
      }
    }
  }

  /**
   * Claims for at most `TURN_BUDGET_MS` per turn of the event loop, then yields. A synchronous
   * store and a handler that never waits on I/O resolve every promise here at once, so without a
   * real macrotask between claims this loop would drain the whole backlog before the server could
   * answer anything (acknowledgements, /healthz, SIGTERM).
   * https://nodejs.org/en/learn/asynchronous-work/dont-block-the-event-loop
   */
  async function claimUpToCapacity(): Promise<void> {
    let turnEndsAtMs = 0;
    while (!stopping && running.size < concurrency) {
      if (performance.now() >= turnEndsAtMs) {
        await yieldToEventLoop();
        turnEndsAtMs = performance.now() + TURN_BUDGET_MS;
      }
      if (stopping) return;
      const claim = await queue.claimNext(id, leaseMs, now(), maxAttempts);
      if (!claim) return;
      const abort = new AbortController();
      const startedAtMs = performance.now();
      const done = run(claim, abort, startedAtMs)
        .catch((error: unknown) =>
          logger.error({ err: error, deliveryId: claim.delivery.id }, "worker error"),
        )
        .finally(() => {
          running.delete(claim.attemptId);
          wakeUp?.();
        });
      running.set(claim.attemptId, { claim, done, abort, startedAtMs });
    }
  }

  /**
   * At capacity, a finishing handler wakes the loop; otherwise sleep until the earliest retry is
   * due, but never so briefly that an idle worker spins on the database.
   */
  async function idleDelayMs(): Promise<number> {
    if (running.size >= concurrency) return pollIntervalMs;
    const due = await queue.nextDueAt();
    const untilDue = due ? due.getTime() - now().getTime() : pollIntervalMs;
    return Math.max(MIN_IDLE_MS, Math.min(pollIntervalMs, untilDue));
  }

  function sleepUntilWoken(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  return {
    start() {
      if (loop) return;
      logger.info({ worker: id, concurrency, maxAttempts, leaseMs }, "worker started");
      unsubscribe = queue.onNewWork(() => wakeUp?.());
      loop = claimAndRunLoop();
    },
    async stop(deadlineMs) {
      stopping = true;
      unsubscribe?.();
      wakeUp?.();
      await loop;
      const inFlight = [...running.values()];
      const deadline = new Promise<"deadline">((resolve) =>
        setTimeout(() => resolve("deadline"), deadlineMs).unref(),
      );
      await Promise.race([Promise.all(inFlight.map((entry) => entry.done)), deadline]);
      const unfinished = [...running.values()];
      for (const { claim, abort, startedAtMs } of unfinished) {
        abort.abort(new Error("shutting down"));
        const seconds = (performance.now() - startedAtMs) / 1000;
        observers.attempt?.(claim.delivery.source, "released", seconds);
        await queue.release(
          claim,
          "Shut down before the handler finished; it runs again after the next start.",
          now(),
        );
      }
      return { finished: inFlight.length - unfinished.length, released: unfinished.length };
    },
  };
}

function attemptLabel(outcome: AttemptOutcome): AttemptLabel {
  if (outcome.kind !== "failed") return outcome.kind;
  return outcome.retryAt ? "retry" : "dead";
}
