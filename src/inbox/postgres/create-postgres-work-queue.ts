import { randomUUID } from "node:crypto";
import type { AttemptOutcome, Claim, WorkQueue } from "../work-queue.ts";
import type { Pool } from "./create-pool.ts";
import type { DeliveryRow } from "./delivery-row.ts";
import { toStoredDelivery } from "./delivery-row.ts";
import { reapExpiredLeases } from "./reap-expired-leases.ts";

export interface PostgresWorkQueueOptions {
  /** Registers for new-work wake-ups (LISTEN, and this process's own inserts). */
  subscribe?: (listener: () => void) => () => void;
}

/** Looks for expired leases at most this often per queue, and every quarter lease if shorter. */
const REAP_INTERVAL_MS = 1_000;

/**
 * Claim, lease, attempt and settle in single statements (data-modifying CTEs), so that each is
 * one round trip and atomic without an explicit transaction. Every time a lease depends on comes
 * from the database's clock (`now()`): two machines whose clocks disagree still agree on whether
 * a lease has expired. The callers' `now` only turns a retry instant into a delay.
 */
export function createPostgresWorkQueue(
  pool: Pool,
  options: PostgresWorkQueueOptions = {},
): WorkQueue {
  let lastReapMs = 0;

  async function reapIfDue(leaseMs: number, maxAttempts: number): Promise<void> {
    const nowMs = Date.now();
    if (nowMs - lastReapMs < Math.min(REAP_INTERVAL_MS, leaseMs / 4)) return;
    lastReapMs = nowMs;
    await reapExpiredLeases(pool, maxAttempts);
  }

  async function settle(
    claim: Claim,
    attempt: { outcome: string; error: string | null },
    delivery: Record<string, unknown>,
  ): Promise<void> {
    await pool.query(
      `WITH closed AS (
         UPDATE attempts SET ended_at = now(), outcome = $3, error = $4
         WHERE id = $5 AND ended_at IS NULL)
       UPDATE deliveries SET status = $6, lease_owner = NULL, lease_expires_at = NULL,
         next_attempt_at = now() + $7 * interval '1 millisecond', next_trigger = $8,
         last_error = $9, processed_at = CASE WHEN $10 THEN now() END,
         event_type = coalesce($11, event_type), issues = coalesce($12::json, issues)
       WHERE id = $1 AND status = 'processing' AND lease_owner = $2`,
      [
        claim.delivery.id,
        claim.leaseOwner,
        attempt.outcome,
        attempt.error,
        claim.attemptId,
        delivery.status,
        delivery.delayMs,
        delivery.nextTrigger,
        delivery.lastError,
        delivery.processed,
        delivery.eventType,
        delivery.issues,
      ],
    );
  }

  return {
    async claimNext(worker, leaseMs, _now, maxAttempts) {
      await reapIfDue(leaseMs, maxAttempts);
      // Owned by this attempt, not only this worker: a late first run must not settle a second.
      const leaseOwner = `${worker}/${randomUUID()}`;
      const { rows } = await pool.query<DeliveryRow & { attempt_id: number }>(
        `WITH next AS (
           SELECT id FROM deliveries
           WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at, id LIMIT 1
           FOR UPDATE SKIP LOCKED),
         leased AS (
           UPDATE deliveries d SET status = 'processing', lease_owner = $1,
             lease_expires_at = now() + $2 * interval '1 millisecond',
             attempt_count = d.attempt_count + 1
           FROM next WHERE d.id = next.id
           RETURNING d.*),
         attempt AS (
           INSERT INTO attempts (delivery_id, number, trigger, worker, started_at)
           SELECT id, attempt_count, next_trigger, $3, now() FROM leased
           RETURNING id)
         SELECT leased.*, attempt.id AS attempt_id FROM leased, attempt`,
        [leaseOwner, leaseMs, worker],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        delivery: toStoredDelivery(row),
        worker,
        leaseOwner,
        attemptId: row.attempt_id,
        attemptNumber: row.attempt_count,
        attemptsThisRun: row.attempt_count - row.attempts_before_replay,
        trigger: row.next_trigger,
      };
    },
    async renewLease(claim, leaseMs) {
      const { rowCount } = await pool.query(
        `UPDATE deliveries SET lease_expires_at = now() + $3 * interval '1 millisecond'
         WHERE id = $1 AND status = 'processing' AND lease_owner = $2`,
        [claim.delivery.id, claim.leaseOwner, leaseMs],
      );
      return rowCount === 1;
    },
    async finish(claim, outcome, now) {
      const error =
        outcome.kind === "failed"
          ? outcome.error
          : outcome.kind === "skipped"
            ? outcome.reason
            : null;
      await settle(claim, { outcome: outcome.kind, error }, settledState(outcome, now));
    },
    async release(claim, reason) {
      await settle(
        claim,
        { outcome: "abandoned", error: reason },
        {
          status: "pending",
          delayMs: 0,
          nextTrigger: claim.trigger,
          lastError: reason,
          processed: false,
          eventType: null,
          issues: null,
        },
      );
    },
    async nextDueAt() {
      const { rows } = await pool.query<{ due_in_ms: number | null }>(
        `SELECT extract(epoch FROM min(next_attempt_at) - now()) * 1000 AS due_in_ms
         FROM deliveries WHERE status = 'pending'`,
      );
      const dueInMs = rows[0]?.due_in_ms;
      // In this machine's timeline: the caller compares it with its own clock.
      return dueInMs === null || dueInMs === undefined
        ? undefined
        : new Date(Date.now() + Number(dueInMs));
    },
    async oldestDueAgeMs() {
      // The first entry of deliveries_runnable: one index probe whatever the backlog.
      const { rows } = await pool.query<{ age_ms: number | null }>(
        `SELECT extract(epoch FROM now() - min(next_attempt_at)) * 1000 AS age_ms
         FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now()`,
      );
      return Math.max(0, Number(rows[0]?.age_ms ?? 0));
    },
    onNewWork: options.subscribe ?? (() => () => {}),
  };
}

function settledState(outcome: AttemptOutcome, now: Date): Record<string, unknown> {
  const base = { delayMs: 0, nextTrigger: "retry", eventType: null, issues: null };
  switch (outcome.kind) {
    case "succeeded":
      return { ...base, status: "done", lastError: null, processed: true };
    case "failed":
      return outcome.retryAt
        ? {
            ...base,
            status: "pending",
            // The worker chose an instant on its clock; the database waits as long on its own.
            delayMs: Math.max(0, outcome.retryAt.getTime() - now.getTime()),
            lastError: outcome.error,
            processed: false,
          }
        : { ...base, status: "dead", lastError: outcome.error, processed: true };
    case "skipped":
      return {
        ...base,
        status: outcome.status,
        lastError: outcome.reason,
        processed: true,
        eventType: outcome.eventType,
        issues: outcome.issues ? JSON.stringify(outcome.issues) : null,
      };
  }
}
