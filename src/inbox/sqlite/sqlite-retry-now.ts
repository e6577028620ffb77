import {
  type InspectStore,
  notRetryableNowReason,
  type RetryNowOutcome,
} from "../inspect-store.ts";
import type { DeliveryRow } from "./delivery-row.ts";
import type { Db } from "./open-database.ts";
import { retryWhileBusy } from "./retry-while-busy.ts";

/**
 * Due now instead of at the end of its backoff: only `next_attempt_at_ms` moves, so the attempt
 * count, the trigger (`retry`) and the budget of attempts stay what they were.
 */
export function createSqliteRetryNow(db: Db, notifyNewWork: () => void): InspectStore["retryNow"] {
  const statements = {
    get: db.prepare<[number], Pick<DeliveryRow, "status" | "next_attempt_at_ms">>(
      "SELECT status, next_attempt_at_ms FROM deliveries WHERE id = ?",
    ),
    makeDue: db.prepare<{ id: number; nowMs: number }, { attempt_count: number }>(`
      UPDATE deliveries SET next_attempt_at_ms = @nowMs
      WHERE id = @id AND status = 'pending' AND next_attempt_at_ms > @nowMs
      RETURNING attempt_count`),
  };

  const retryNow = db.transaction((id: number, now: Date): RetryNowOutcome => {
    const row = statements.get.get(id);
    if (!row) return { ok: false, id, code: "not_found", reason: `No delivery ${id}.` };
    const reason = notRetryableNowReason(
      { status: row.status, nextAttemptAt: new Date(row.next_attempt_at_ms) },
      now,
    );
    const updated = reason ? undefined : statements.makeDue.get({ id, nowMs: now.getTime() });
    if (!updated) return { ok: false, id, code: "not_waiting", reason: reason ?? "" };
    return { ok: true, id, nextAttemptAt: now, attemptCount: updated.attempt_count };
  });

  return async (id, now) => {
    const outcome = await retryWhileBusy(() => retryNow.immediate(id, now));
    if (outcome.ok) notifyNewWork();
    return outcome;
  };
}
