import { randomUUID } from "node:crypto";
import type { AttemptOutcome, Claim, WorkQueue } from "../work-queue.ts";
import { type DeliveryRow, toStoredDelivery } from "./delivery-row.ts";
import type { Db } from "./open-database.ts";

interface RunnableRow {
  id: number;
  status: "pending" | "processing";
  /** Attempts used since receipt or the last replay. */
  used: number;
}

/**
 * The reads that run once per claim and per idle look, whatever the size of the backlog: each is
 * a range scan of its own partial index in the order it reads, with no sort (a test checks their
 * plans). Two short reads instead of one OR: an OR of two ranges cannot be read in order.
 */
export const WORK_QUEUE_READS = {
  nextExpiredLease: `
    SELECT id, status, attempt_count - attempts_before_replay AS used FROM deliveries
    WHERE status = 'processing' AND lease_expires_at_ms <= @nowMs
    ORDER BY lease_expires_at_ms LIMIT 1`,
  nextDuePending: `
    SELECT id, status, attempt_count - attempts_before_replay AS used FROM deliveries
    WHERE status = 'pending' AND next_attempt_at_ms <= @nowMs
    ORDER BY next_attempt_at_ms, id LIMIT 1`,
  nextDue: "SELECT min(next_attempt_at_ms) AS at FROM deliveries WHERE status = 'pending'",
  // For /metrics: since when the longest-waiting due delivery has been due. A delivery never
  // attempted has next_attempt_at_ms = 0 and has been due since it was received; the oldest of
  // those is the first of that range in id order.
  oldestDueRetry: `
    SELECT next_attempt_at_ms AS at FROM deliveries
    WHERE status = 'pending' AND next_attempt_at_ms > 0 AND next_attempt_at_ms <= @nowMs
    ORDER BY next_attempt_at_ms LIMIT 1`,
  oldestNeverAttempted: `
    SELECT received_at_ms AS at FROM deliveries
    WHERE status = 'pending' AND next_attempt_at_ms = 0
    ORDER BY next_attempt_at_ms, id LIMIT 1`,
} as const;

/** `subscribe` registers for this process's new-work notifications (see `onNewWork`). */
export function createSqliteWorkQueue(
  db: Db,
  subscribe: (listener: () => void) => () => void = () => () => {},
): WorkQueue {
  const statements = {
    nextExpiredLease: db.prepare<{ nowMs: number }, RunnableRow>(WORK_QUEUE_READS.nextExpiredLease),
    nextDuePending: db.prepare<{ nowMs: number }, RunnableRow>(WORK_QUEUE_READS.nextDuePending),
    oldestDueRetry: db.prepare<{ nowMs: number }, { at: number }>(WORK_QUEUE_READS.oldestDueRetry),
    oldestNeverAttempted: db.prepare<[], { at: number }>(WORK_QUEUE_READS.oldestNeverAttempted),
    abandonOpenAttempts: db.prepare<{ id: number; nowMs: number; error: string }>(`
      UPDATE attempts SET ended_at_ms = @nowMs, outcome = 'abandoned', error = @error
      WHERE delivery_id = @id AND ended_at_ms IS NULL`),
    lease: db.prepare<{ id: number; leaseOwner: string; expiresMs: number }, DeliveryRow>(`
      UPDATE deliveries SET status = 'processing', lease_owner = @leaseOwner,
        lease_expires_at_ms = @expiresMs, attempt_count = attempt_count + 1
      WHERE id = @id RETURNING *`),
    openAttempt: db.prepare<Record<string, unknown>, { id: number }>(`
      INSERT INTO attempts (delivery_id, number, trigger, worker, started_at_ms)
      VALUES (@deliveryId, @number, @trigger, @worker, @nowMs) RETURNING id`),
    renew: db.prepare<{ id: number; leaseOwner: string; expiresMs: number }>(`
      UPDATE deliveries SET lease_expires_at_ms = @expiresMs
      WHERE id = @id AND status = 'processing' AND lease_owner = @leaseOwner`),
    // An attempt already closed (abandoned when another worker took over) keeps its outcome.
    closeAttempt: db.prepare<{ id: number; nowMs: number; outcome: string; error: string | null }>(
      "UPDATE attempts SET ended_at_ms = @nowMs, outcome = @outcome, error = @error WHERE id = @id AND ended_at_ms IS NULL",
    ),
    bury: db.prepare<{ id: number; nowMs: number; error: string }>(`
      UPDATE deliveries SET status = 'dead', lease_owner = NULL, lease_expires_at_ms = NULL,
        last_error = @error, processed_at_ms = @nowMs
      WHERE id = @id`),
    settle: db.prepare<Record<string, unknown>>(`
      UPDATE deliveries SET status = @status, lease_owner = NULL, lease_expires_at_ms = NULL,
        next_attempt_at_ms = @nextAttemptAtMs, next_trigger = @nextTrigger, last_error = @lastError,
        processed_at_ms = @processedAtMs, event_type = coalesce(@eventType, event_type),
        issues = coalesce(@issues, issues)
      WHERE id = @id AND status = 'processing' AND lease_owner = @leaseOwner`),
    nextDue: db.prepare<[], { at: number | null }>(WORK_QUEUE_READS.nextDue),
  };

  // IMMEDIATE: take the write lock before reading, so that no other process claims the same row.
  const claim = db.transaction(
    (worker: string, leaseMs: number, nowMs: number, maxAttempts: number) => {
      for (;;) {
        // A claim of a worker that died goes first: it has waited longest.
        const next =
          statements.nextExpiredLease.get({ nowMs }) ?? statements.nextDuePending.get({ nowMs });
        if (!next) return undefined;
        statements.abandonOpenAttempts.run({
          id: next.id,
          nowMs,
          error: "The lease expired: the worker that claimed it stopped before finishing.",
        });
        if (next.status === "processing" && next.used >= maxAttempts) {
          statements.bury.run({
            id: next.id,
            nowMs,
            error: `Every one of its ${next.used} attempts ended with the worker's process gone (crashed or killed); not trying again.`,
          });
          continue;
        }
        return lease(next.id, worker, leaseMs, nowMs);
      }
    },
  );

  function lease(id: number, worker: string, leaseMs: number, nowMs: number): Claim | undefined {
    // Owned by this attempt, not only this worker: a worker that takes back its own expired
    // claim must not let the first, late run settle the second.
    const leaseOwner = `${worker}/${randomUUID()}`;
    const row = statements.lease.get({ id, leaseOwner, expiresMs: nowMs + leaseMs });
    if (!row) return undefined;
    const attempt = statements.openAttempt.get({
      deliveryId: row.id,
      number: row.attempt_count,
      trigger: row.next_trigger,
      worker,
      nowMs,
    });
    if (!attempt) return undefined;
    return {
      delivery: toStoredDelivery(row),
      worker,
      leaseOwner,
      attemptId: attempt.id,
      attemptNumber: row.attempt_count,
      attemptsThisRun: row.attempt_count - row.attempts_before_replay,
      trigger: row.next_trigger,
    };
  }

  const settle = db.transaction((claim: Claim, outcome: AttemptOutcome, nowMs: number) => {
    const error =
      outcome.kind === "failed"
        ? outcome.error
        : outcome.kind === "skipped"
          ? outcome.reason
          : null;
    statements.closeAttempt.run({ id: claim.attemptId, nowMs, outcome: outcome.kind, error });
    statements.settle.run({
      id: claim.delivery.id,
      leaseOwner: claim.leaseOwner,
      ...settledState(outcome, nowMs),
    });
  });

  return {
    claimNext: async (worker, leaseMs, now, maxAttempts) =>
      claim.immediate(worker, leaseMs, now.getTime(), maxAttempts),
    renewLease: async (claim, leaseMs, now) =>
      statements.renew.run({
        id: claim.delivery.id,
        leaseOwner: claim.leaseOwner,
        expiresMs: now.getTime() + leaseMs,
      }).changes === 1,
    finish: async (claim, outcome, now) => settle.immediate(claim, outcome, now.getTime()),
    release: async (claim, reason, now) => {
      db.transaction(() => {
        statements.closeAttempt.run({
          id: claim.attemptId,
          nowMs: now.getTime(),
          outcome: "abandoned",
          error: reason,
        });
        statements.settle.run({
          id: claim.delivery.id,
          leaseOwner: claim.leaseOwner,
          status: "pending",
          nextAttemptAtMs: now.getTime(),
          nextTrigger: claim.trigger,
          lastError: reason,
          processedAtMs: null,
          eventType: null,
          issues: null,
        });
      }).immediate();
    },
    onNewWork: subscribe,
    nextDueAt: async () => {
      const { at } = statements.nextDue.get() ?? { at: null };
      return at === null ? undefined : new Date(at);
    },
    oldestDueAgeMs: async (now) => {
      const nowMs = now.getTime();
      const retry = statements.oldestDueRetry.get({ nowMs })?.at ?? nowMs;
      const fresh = statements.oldestNeverAttempted.get()?.at ?? nowMs;
      return Math.max(0, nowMs - Math.min(retry, fresh));
    },
  };
}

function settledState(outcome: AttemptOutcome, nowMs: number): Record<string, unknown> {
  const base = { nextAttemptAtMs: 0, nextTrigger: "retry", eventType: null, issues: null };
  switch (outcome.kind) {
    case "succeeded":
      return { ...base, status: "done", lastError: null, processedAtMs: nowMs };
    case "failed":
      return outcome.retryAt
        ? {
            ...base,
            status: "pending",
            nextAttemptAtMs: outcome.retryAt.getTime(),
            lastError: outcome.error,
            processedAtMs: null,
          }
        : { ...base, status: "dead", lastError: outcome.error, processedAtMs: nowMs };
    case "skipped":
      return {
        ...base,
        status: outcome.status,
        lastError: outcome.reason,
        processedAtMs: nowMs,
        eventType: outcome.eventType,
        issues: outcome.issues ? JSON.stringify(outcome.issues) : null,
      };
  }
}
