import { answerOf } from "../answer-of.ts";
import type { DeliveryStatus, StoredDelivery } from "../inbox.ts";

/** A `deliveries` row as SQLite returns it. */
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
  headers: string;
  body: Buffer;
  auth_method: StoredDelivery["authMethod"];
  auth_key: string | null;
  issues: string | null;
  received_at_ms: number;
  attempt_count: number;
  next_attempt_at_ms: number;
  last_error: string | null;
  processed_at_ms: number | null;
  next_trigger: "receipt" | "retry" | "replay";
  attempts_before_replay: number;
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
    headers: JSON.parse(row.headers) as Record<string, string>,
    body: row.body,
    authMethod: row.auth_method,
    authKey: row.auth_key,
    issues: row.issues ? JSON.parse(row.issues) : null,
    receivedAt: new Date(row.received_at_ms),
    attemptCount: row.attempt_count,
    nextAttemptAt: row.status === "pending" ? new Date(row.next_attempt_at_ms) : null,
    lastError: row.last_error,
    processedAt: row.processed_at_ms === null ? null : new Date(row.processed_at_ms),
    requestId: row.request_id,
    senderAttempt: row.sender_attempt,
    answer: answerOf(row.id, row.answer_status, row.answer_body),
  };
}
