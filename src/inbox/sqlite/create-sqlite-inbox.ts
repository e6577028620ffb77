import type { DeliveryStatus, Inbox, NewDelivery, NewRejection, RecordResult } from "../inbox.ts";
import { REJECTION_BODY_BYTES, REJECTION_LOG_SIZE } from "../inbox.ts";
import { createGroupCommit } from "./group-commit.ts";
import type { Db } from "./open-database.ts";

/** `notifyNewWork` is called after the commit of each new pending delivery. */
export function createSqliteInbox(db: Db, notifyNewWork: () => void = () => {}): Inbox {
  const statements = {
    insertDelivery: db.prepare<Record<string, unknown>, { id: number }>(`
      INSERT INTO deliveries (source, idempotency_key, event_type, payload_mode, entity_uid, status,
        method, path, headers, body, auth_method, auth_key, issues, received_at_ms)
      VALUES (@source, @idempotencyKey, @eventType, @payloadMode, @entityUid, @status,
        @method, @path, @headers, @body, @authMethod, @authKey, @issues, @receivedAtMs)
      ON CONFLICT (source, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING id`),
    findByKey: db.prepare<[string, string], { id: number; status: DeliveryStatus }>(
      "SELECT id, status FROM deliveries WHERE source = ? AND idempotency_key = ?",
    ),
    insertRejection: db.prepare<Record<string, unknown>, { id: number }>(`
      INSERT INTO rejections (source, method, path, status_code, code, message, headers,
        body_excerpt, body_bytes, received_at_ms)
      VALUES (@source, @method, @path, @statusCode, @code, @message, @headers,
        @bodyExcerpt, @bodyBytes, @receivedAtMs)
      RETURNING id`),
    trimRejections: db.prepare<[number]>("DELETE FROM rejections WHERE id <= ?"),
    touchHealth: db.prepare<[number]>(
      "INSERT INTO health (id, checked_at_ms) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at_ms = excluded.checked_at_ms",
    ),
  };

  // Concurrent deliveries share one commit (one fsync); each is answered only after it.
  const groupCommit = createGroupCommit(db);

  function recordDelivery(delivery: NewDelivery): RecordResult {
    const inserted = statements.insertDelivery.get({
      ...delivery,
      headers: JSON.stringify(delivery.headers),
      issues: delivery.issues ? JSON.stringify(delivery.issues) : null,
      receivedAtMs: delivery.receivedAt.getTime(),
    });
    if (inserted) return { id: inserted.id, duplicate: false, status: delivery.status };
    // Only the unique (source, idempotency_key) index makes an insert do nothing.
    const existing = statements.findByKey.get(delivery.source, delivery.idempotencyKey ?? "");
    if (!existing) throw new Error("insert was skipped but no delivery has its idempotency key");
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
    checkWritable: async () => {
      try {
        statements.touchHealth.run(Date.now());
        return true;
      } catch {
        return false;
      }
    },
  };
}
