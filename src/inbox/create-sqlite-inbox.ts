import { type DeliveryRow, toStoredDelivery } from "./delivery-row.ts";
import { createGroupCommit } from "./group-commit.ts";
import type {
  DeliveryStatus,
  Inbox,
  NewDelivery,
  NewRejection,
  RecordResult,
  StoredRejection,
} from "./inbox.ts";
import { REJECTION_BODY_BYTES, REJECTION_LOG_SIZE } from "./inbox.ts";
import type { Db } from "./open-database.ts";
import { type RejectionRow, toStoredRejection } from "./rejection-row.ts";

export function createSqliteInbox(db: Db): Inbox {
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
    getDelivery: db.prepare<[number], DeliveryRow>("SELECT * FROM deliveries WHERE id = ?"),
    insertRejection: db.prepare<Record<string, unknown>, { id: number }>(`
      INSERT INTO rejections (source, method, path, status_code, code, message, headers,
        body_excerpt, body_bytes, received_at_ms)
      VALUES (@source, @method, @path, @statusCode, @code, @message, @headers,
        @bodyExcerpt, @bodyBytes, @receivedAtMs)
      RETURNING id`),
    trimRejections: db.prepare<[number]>("DELETE FROM rejections WHERE id <= ?"),
    listRejections: db.prepare<[number], RejectionRow>(
      "SELECT * FROM rejections ORDER BY id DESC LIMIT ?",
    ),
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
    recordDelivery: (delivery) => groupCommit.run(() => recordDelivery(delivery)),
    recordRejection: (rejection) => groupCommit.run(() => recordRejection(rejection)),
    getDelivery: async (id) => {
      const row = statements.getDelivery.get(id);
      return row ? toStoredDelivery(row) : undefined;
    },
    listRejections: async (limit) => statements.listRejections.all(limit).map(toStoredRejection),
    checkWritable: async () => {
      try {
        statements.touchHealth.run(Date.now());
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.close(),
  };
}
