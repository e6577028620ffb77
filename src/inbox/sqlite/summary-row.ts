import type { DeliverySummary } from "../inspect-store.ts";
import type { DeliveryRow } from "./delivery-row.ts";

/** A list row as SQLite returns it: everything but the body and headers. */
export type SummaryRow = Pick<
  DeliveryRow,
  | "id"
  | "source"
  | "event_type"
  | "status"
  | "idempotency_key"
  | "entity_uid"
  | "payload_mode"
  | "auth_method"
  | "received_at_ms"
  | "attempt_count"
  | "last_error"
>;

export const SUMMARY_COLUMNS = `id, source, event_type, status, idempotency_key, entity_uid,
  payload_mode, auth_method, received_at_ms, attempt_count, last_error`;

/** `arrivals`: 1 + duplicate arrivals, read beside the row (see `sqlite-arrivals.ts`). */
export function toSummary(row: SummaryRow, arrivals = 1): DeliverySummary {
  return {
    id: row.id,
    source: row.source,
    eventType: row.event_type,
    status: row.status,
    idempotencyKey: row.idempotency_key,
    entityUid: row.entity_uid,
    payloadMode: row.payload_mode,
    authMethod: row.auth_method,
    receivedAt: new Date(row.received_at_ms),
    attemptCount: row.attempt_count,
    lastError: row.last_error,
    arrivals,
  };
}
