import type { Db } from "../../src/inbox/sqlite/open-database.ts";

export interface SeedDelivery {
  source?: string;
  eventType?: string | null;
  status?: string;
  receivedAtMs?: number;
  idempotencyKey?: string | null;
  entityUid?: string | null;
  body?: string;
  headers?: Record<string, string>;
  authMethod?: string;
  issues?: unknown[] | null;
  attemptCount?: number;
}

/**
 * Writes deliveries straight into the table, as the receiver would have stored them: for store and
 * CLI tests that need many rows, old rows or a given status without running the whole pipeline.
 */
export function seedDeliveries(db: Db, deliveries: readonly SeedDelivery[]): number[] {
  const insert = db.prepare<Record<string, unknown>, { id: number }>(`
    INSERT INTO deliveries (source, idempotency_key, event_type, payload_mode, entity_uid, status,
      method, path, headers, body, auth_method, auth_key, issues, received_at_ms, attempt_count)
    VALUES (@source, @idempotencyKey, @eventType, 'uid', @entityUid, @status, 'POST', @path,
      @headers, @body, @authMethod, '#1 abcd1234', @issues, @receivedAtMs, @attemptCount)
    RETURNING id`);
  return db.transaction(() =>
    deliveries.map((delivery, index) => {
      const source = delivery.source ?? "capturi";
      const row = insert.get({
        source,
        idempotencyKey:
          delivery.idempotencyKey === undefined
            ? `key-${index}-${Math.random()}`
            : delivery.idempotencyKey,
        eventType: delivery.eventType === undefined ? "ConversationProcessed" : delivery.eventType,
        entityUid: delivery.entityUid === undefined ? `uid-${index}` : delivery.entityUid,
        status: delivery.status ?? "done",
        path: `/webhooks/${source}`,
        headers: JSON.stringify(delivery.headers ?? { "content-type": "application/json" }),
        body: Buffer.from(
          delivery.body ?? JSON.stringify({ event: "ConversationProcessed", uid: "x" }),
        ),
        authMethod: delivery.authMethod ?? "header-token",
        issues: delivery.issues ? JSON.stringify(delivery.issues) : null,
        receivedAtMs: delivery.receivedAtMs ?? Date.now(),
        attemptCount: delivery.attemptCount ?? 0,
      });
      if (!row) throw new Error("seed insert returned nothing");
      return row.id;
    }),
  )();
}

export function addAttempt(
  db: Db,
  deliveryId: number,
  number: number,
  outcome = "succeeded",
): void {
  db.prepare(
    `INSERT INTO attempts (delivery_id, number, trigger, worker, started_at_ms, ended_at_ms, outcome)
     VALUES (?, ?, 'receipt', 'seed', ?, ?, ?)`,
  ).run(deliveryId, number, Date.now(), Date.now() + 3, outcome);
}
