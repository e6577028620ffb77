import type {
  DeliveryStatus,
  Inbox,
  NewDelivery,
  NewRejection,
  RecordResult,
  WriteCheck,
} from "../inbox.ts";
import {
  DUPLICATE_STATUS_CODE,
  READINESS_WRITE_BYTES,
  REJECTION_BODY_BYTES,
  REJECTION_LOG_SIZE,
} from "../inbox.ts";
import type { StoreObservers } from "../stores.ts";
import { createGroupCommit } from "./group-commit.ts";
import { MIGRATIONS } from "./migrations/index.ts";
import type { Db } from "./open-database.ts";

/** `notifyNewWork` is called after the commit of each new pending delivery. */
export function createSqliteInbox(
  db: Db,
  notifyNewWork: () => void = () => {},
  observers: StoreObservers = {},
): Inbox {
  const statements = {
    insertDelivery: db.prepare<Record<string, unknown>, { id: number }>(`
      INSERT INTO deliveries (source, idempotency_key, event_type, payload_mode, entity_uid, status,
        method, path, headers, body, auth_method, auth_key, issues, received_at_ms, request_id,
        sender_attempt, answer_status, answer_body)
      VALUES (@source, @idempotencyKey, @eventType, @payloadMode, @entityUid, @status,
        @method, @path, @headers, @body, @authMethod, @authKey, @issues, @receivedAtMs, @requestId,
        @senderAttempt, @answerStatus, @answerBody)
      ON CONFLICT (source, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING id`),
    findByKey: db.prepare<[string, string], { id: number; status: DeliveryStatus }>(
      "SELECT id, status FROM deliveries WHERE source = ? AND idempotency_key = ?",
    ),
    insertArrival: db.prepare<Record<string, unknown>>(`
      INSERT INTO delivery_arrivals (delivery_id, received_at_ms, request_id, sender_attempt,
        status_code)
      VALUES (@deliveryId, @receivedAtMs, @requestId, @senderAttempt, @statusCode)`),
    insertRejection: db.prepare<Record<string, unknown>, { id: number }>(`
      INSERT INTO rejections (source, method, path, status_code, code, message, headers,
        body_excerpt, body_bytes, received_at_ms)
      VALUES (@source, @method, @path, @statusCode, @code, @message, @headers,
        @bodyExcerpt, @bodyBytes, @receivedAtMs)
      RETURNING id`),
    trimRejections: db.prepare<[number]>("DELETE FROM rejections WHERE id <= ?"),
    insertProbe: db.prepare<[number, number], { id: number }>(
      "INSERT INTO readiness_probe (written_at_ms, payload) VALUES (?, zeroblob(?)) RETURNING id",
    ),
    deleteOlderProbes: db.prepare<[number]>("DELETE FROM readiness_probe WHERE id < ?"),
  };
  // The new row is written while the previous one still holds its pages: the check needs as many
  // free pages as a delivery of that size, and fails as soon as one would (disk full, max_page_count).
  const writeProbe = db.transaction((nowMs: number) => {
    const inserted = statements.insertProbe.get(nowMs, READINESS_WRITE_BYTES);
    if (inserted) statements.deleteOlderProbes.run(inserted.id);
  });
  const expectedVersion = MIGRATIONS.at(-1)?.version ?? 0;

  // Concurrent deliveries share one commit (one fsync); each is answered only after it.
  const groupCommit = createGroupCommit(db, observers);

  function recordDelivery(delivery: NewDelivery): RecordResult {
    const arrival = {
      receivedAtMs: delivery.receivedAt.getTime(),
      requestId: delivery.requestId ?? null,
      senderAttempt: delivery.senderAttempt ?? null,
    };
    const inserted = statements.insertDelivery.get({
      ...delivery,
      ...arrival,
      headers: JSON.stringify(delivery.headers),
      issues: delivery.issues ? JSON.stringify(delivery.issues) : null,
      answerStatus: delivery.answer?.statusCode ?? null,
      answerBody: delivery.answer?.bodyWithoutId ?? null,
    });
    if (inserted) return { id: inserted.id, duplicate: false, status: delivery.status };
    // Only the unique (source, idempotency_key) index makes an insert do nothing.
    const existing = statements.findByKey.get(delivery.source, delivery.idempotencyKey ?? "");
    if (!existing) throw new Error("insert was skipped but no delivery has its idempotency key");
    // In the same write of the group commit: the arrival is durable when the 2xx is sent.
    statements.insertArrival.run({
      ...arrival,
      deliveryId: existing.id,
      statusCode: delivery.answer?.statusCode ?? DUPLICATE_STATUS_CODE,
    });
    return { id: existing.id, duplicate: true, status: existing.status };
  }

  function recordRejection(rejection: NewRejection): void {
    const inserted = statements.insertRejection.get({
      ...rejection,
      headers: JSON.stringify(rejection.headers),
      bodyExcerpt: rejection.bodyExcerpt.subarray(0, REJECTION_BODY_BYTES),
      receivedAtMs: rejection.receivedAt.getTime(),
    });
    if (inserted) statements.trimRejections.run(inserted.id - REJECTION_LOG_SIZE);
  }

  return {
    async recordDelivery(delivery) {
      const result = await groupCommit.run(() => recordDelivery(delivery));
      if (!result.duplicate && result.status === "pending") notifyNewWork();
      return result;
    },
    recordRejection: (rejection) => groupCommit.run(() => recordRejection(rejection)),
    checkWritable: async (): Promise<WriteCheck> => {
      try {
        const version = db.pragma("user_version", { simple: true }) as number;
        if (version < expectedVersion) {
          return {
            ok: false,
            error: `schema version ${version}, this build needs ${expectedVersion}`,
          };
        }
        writeProbe(Date.now());
        return { ok: true };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
  };
}
