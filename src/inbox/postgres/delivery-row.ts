import { answerOf } from "../answer-of.ts";
import type { DeliveryStatus, StoredDelivery } from "../inbox.ts";
import type { DeliverySummary } from "../inspect-store.ts";

/** A `deliveries` row as pg returns it (json parsed, bytea as Buffer, timestamptz as Date). */
export interface DeliveryRow {
  id: number;
  source: string;
  idempotency_key: string | null;
  event_type: string | null;
  payload_mode: "uid" | "full" | null;
  entity_uid: string | null;
  status: DeliveryStatus;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  auth_method: StoredDelivery["authMethod"];
  auth_key: string | null;
  issues: StoredDelivery["issues"];
  received_at: Date;
  attempt_count: number;
  attempts_before_replay: number;
  next_attempt_at: Date;
  next_trigger: "receipt" | "retry" | "replay";
  last_error: string | null;
  processed_at: Date | null;
  request_id: string | null;
  sender_attempt: string | null;
  answer_status: number | null;
  answer_body: string | null;
}

export function toStoredDelivery(row: DeliveryRow): StoredDelivery {
  return {
    id: row.id,
    source: row.source,
    idempotencyKey: row.idempotency_key,
    eventType: row.event_type,
    payloadMode: row.payload_mode,
    entityUid: row.entity_uid,
    status: row.status,
    method: row.method,
    path: row.path,
    headers: row.headers,
    body: row.body,
    authMethod: row.auth_method,
    authKey: row.auth_key,
    issues: row.issues,
    receivedAt: row.received_at,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.status === "pending" ? row.next_attempt_at : null,
    lastError: row.last_error,
    processedAt: row.processed_at,
    requestId: row.request_id,
    senderAttempt: row.sender_attempt,
    answer: answerOf(row.id, row.answer_status, row.answer_body),
  };
}

export const SUMMARY_COLUMNS = `id, source, event_type, status, idempotency_key, entity_uid,
  payload_mode, auth_method, received_at, attempt_count, last_error`;

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
  | "received_at"
  | "attempt_count"
  | "last_error"
>;

/** `arrivals`: 1 + duplicate arrivals, read beside the row (see `postgres-arrivals.ts`). */
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
    receivedAt: row.received_at,
    attemptCount: row.attempt_count,
    lastError: row.last_error,
    arrivals,
  };
}
