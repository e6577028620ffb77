import { randomBase62 } from "../../payloads/random-ids.ts";
import { type AttemptOptions, attemptDelivery } from "./attempt-delivery.ts";
import type { DeliveryLog } from "./delivery-log.ts";
import type { AttemptRecord, DeliveryRecord, NewDelivery } from "./delivery-record.ts";

export interface DeliveryEngineOptions extends AttemptOptions {
  log: DeliveryLog;
  /** Called after every attempt, e.g. to print a log line. */
  onAttempt?: (record: DeliveryRecord, attempt: AttemptRecord) => void;
}

export interface DeliveryEngine {
  /** Records the delivery and makes its first attempt right away. */
  enqueue(delivery: NewDelivery): DeliveryRecord;
  /** Sends one delivery again now, with the same message id, and retries it again if it fails. */
  replay(id: string): DeliveryRecord | undefined;
  /** Replays every delivery created in [fromMs, toMs], like Capturi's log replay of a date range. */
  replayRange(fromMs: number, toMs: number, source?: DeliveryRecord["source"]): DeliveryRecord[];
  /** Schedules the pending deliveries found in the log, e.g. after a restart. */
  resume(): void;
  /** Cancels timers and writes the log; attempts in flight finish but schedule nothing. */
  stop(): void;
}

/** Svix-like delivery: the first attempt now, then one retry per delay, until a 2xx or an abort. */
export function createDeliveryEngine(options: DeliveryEngineOptions): DeliveryEngine {
  const { log } = options;
  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<string>();
  let stopped = false;

  function schedule(record: DeliveryRecord, trigger: AttemptRecord["trigger"]) {
    clearTimeout(timers.get(record.id));
    if (stopped || record.nextAttemptAtMs === null) return;
    const delay = Math.max(0, record.nextAttemptAtMs - options.now().getTime());
    timers.set(
      record.id,
      setTimeout(() => void run(record.id, trigger), delay),
    );
  }

  async function run(id: string, trigger: AttemptRecord["trigger"]) {
    timers.delete(id);
    const before = log.get(id);
    if (before === undefined || before.status !== "pending" || inFlight.has(id)) return;
    inFlight.add(id);
    const result = await attemptDelivery(before, options).finally(() => inFlight.delete(id));
    // Read again: a replay may have changed the record while the attempt was in flight.
    const record = log.get(id) ?? before;
    const attempt: AttemptRecord = {
      number: record.attempts.length + 1,
      trigger,
      ...result.attempt,
    };
    const delay = record.retryDelaysMs[record.retriesUsed];
    const next: DeliveryRecord = result.delivered
      ? { ...record, status: "delivered", nextAttemptAtMs: null }
      : result.aborted
        ? { ...record, status: "aborted", nextAttemptAtMs: null }
        : delay === undefined
          ? { ...record, status: "failed", nextAttemptAtMs: null }
          : {
              ...record,
              retriesUsed: record.retriesUsed + 1,
              nextAttemptAtMs: options.now().getTime() + delay,
            };
    const updated = { ...next, attempts: [...record.attempts, attempt] };
    log.put(updated);
    options.onAttempt?.(updated, attempt);
    if (updated.status === "pending") schedule(updated, "retry");
  }

  function replay(id: string): DeliveryRecord | undefined {
    const record = log.get(id);
    if (record === undefined) return undefined;
    const restarted: DeliveryRecord = {
      ...record,
      status: "pending",
      retriesUsed: 0,
      nextAttemptAtMs: options.now().getTime(),
    };
    log.put(restarted);
    schedule(restarted, "replay");
    return restarted;
  }

  return {
    enqueue(delivery) {
      const record: DeliveryRecord = {
        ...delivery,
        id: `dlv_${randomBase62(16)}`,
        createdAtMs: options.now().getTime(),
        status: "pending",
        nextAttemptAtMs: options.now().getTime(),
        retriesUsed: 0,
        attempts: [],
      };
      log.put(record);
      schedule(record, "initial");
      return record;
    },
    replay,
    replayRange(fromMs, toMs, source) {
      return log
        .all()
        .filter((record) => record.createdAtMs >= fromMs && record.createdAtMs <= toMs)
        .filter((record) => source === undefined || record.source === source)
        .map((record) => replay(record.id))
        .filter((record) => record !== undefined);
    },
    resume() {
      for (const record of log.all()) {
        if (record.status === "pending") {
          schedule(record, record.attempts.length === 0 ? "initial" : "retry");
        }
      }
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      log.flush();
    },
  };
}
