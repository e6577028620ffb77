import { DUPLICATE_STATUS_CODE, type NewDelivery, type RecordResult } from "../inbox.ts";
import type { Pool, PoolClient } from "./create-pool.ts";
import { inTransaction } from "./in-transaction.ts";
import { NEW_WORK_CHANNEL } from "./listen-for-new-work.ts";

const COLUMNS = `source, idempotency_key, event_type, payload_mode, entity_uid, status, method, path,
  headers, body, auth_method, auth_key, issues, received_at, request_id, sender_attempt,
  answer_status, answer_body`;
const COLUMN_COUNT = 18;

/** PostgreSQL takes at most 65,535 parameters in one statement. */
export const MAX_ROWS_PER_INSERT = Math.floor(65_535 / COLUMN_COUNT);

function values(delivery: NewDelivery): unknown[] {
  return [
    delivery.source,
    delivery.idempotencyKey,
    delivery.eventType,
    delivery.payloadMode,
    delivery.entityUid,
    delivery.status,
    delivery.method,
    delivery.path,
    JSON.stringify(delivery.headers),
    delivery.body,
    delivery.authMethod,
    delivery.authKey,
    delivery.issues ? JSON.stringify(delivery.issues) : null,
    delivery.receivedAt,
    delivery.requestId ?? null,
    delivery.senderAttempt ?? null,
    delivery.answer?.statusCode ?? null,
    delivery.answer?.bodyWithoutId ?? null,
  ];
}

/** `VALUES ($1, …, $18), ($19, …)`: bodies travel as binary parameters, not hex in the text. */
function valuesList(rows: number): string {
  return Array.from({ length: rows }, (_, row) => {
    const first = row * COLUMN_COUNT;
    const cells = Array.from({ length: COLUMN_COUNT }, (_, column) => `$${first + column + 1}`);
    return `(${cells.join(", ")})`;
  }).join(",\n");
}

const keyOf = (source: string, key: string) => `${source}\u0000${key}`;

/**
 * Writes a batch in one transaction: the deliveries with an idempotency key in one multi-row
 * INSERT … ON CONFLICT DO NOTHING, then looks up the ones that conflicted. Looking after the
 * insert finds a duplicate that another instance committed a moment ago too: the INSERT waited
 * for that transaction, and the SELECT's snapshot is newer. A `pg_notify` in the same transaction
 * wakes idle workers on every instance at COMMIT.
 */
export async function insertDeliveries(
  pool: Pool,
  batch: readonly NewDelivery[],
): Promise<RecordResult[]> {
  return inTransaction(pool, async (client) => {
    const results: RecordResult[] = new Array(batch.length);
    const keyed = batch.flatMap((delivery, index) => (delivery.idempotencyKey ? [index] : []));
    const unkeyed = batch.flatMap((delivery, index) => (delivery.idempotencyKey ? [] : [index]));
    await insertKeyed(client, batch, keyed, results);
    // Malformed bodies have no key: nothing to deduplicate, one row each.
    for (const index of unkeyed) {
      const delivery = batch[index] as NewDelivery;
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO deliveries (${COLUMNS}) VALUES ${valuesList(1)} RETURNING id`,
        values(delivery),
      );
      results[index] = {
        id: (rows[0] as { id: number }).id,
        duplicate: false,
        status: delivery.status,
      };
    }
    if (results.some((result) => !result.duplicate && result.status === "pending")) {
      await client.query(`SELECT pg_notify('${NEW_WORK_CHANNEL}', '')`);
    }
    return results;
  });
}

async function insertKeyed(
  client: PoolClient,
  batch: readonly NewDelivery[],
  indexes: readonly number[],
  results: RecordResult[],
): Promise<void> {
  if (indexes.length === 0) return;
  const deliveries = indexes.map((index) => batch[index] as NewDelivery);
  const { rows } = await client.query<{ id: number; source: string; idempotency_key: string }>(
    `INSERT INTO deliveries (${COLUMNS}) VALUES ${valuesList(deliveries.length)}
     ON CONFLICT (source, idempotency_key) DO NOTHING
     RETURNING id, source, idempotency_key`,
    deliveries.flatMap(values),
  );
  const inserted = new Map(rows.map((row) => [keyOf(row.source, row.idempotency_key), row.id]));
  const conflicted: number[] = [];
  for (const index of indexes) {
    const delivery = batch[index] as NewDelivery;
    const key = keyOf(delivery.source, delivery.idempotencyKey ?? "");
    const id = inserted.get(key);
    // The first of two equal keys in one batch is the stored one; the second is its duplicate.
    inserted.delete(key);
    if (id === undefined) conflicted.push(index);
    else results[index] = { id, duplicate: false, status: delivery.status };
  }
  await findDuplicates(client, batch, conflicted, results);
}

async function findDuplicates(
  client: PoolClient,
  batch: readonly NewDelivery[],
  indexes: readonly number[],
  results: RecordResult[],
): Promise<void> {
  if (indexes.length === 0) return;
  const deliveries = indexes.map((index) => batch[index] as NewDelivery);
  const { rows } = await client.query<{
    id: number;
    status: RecordResult["status"];
    source: string;
    idempotency_key: string;
  }>(
    `SELECT id, status, source, idempotency_key FROM deliveries
     WHERE (source, idempotency_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [deliveries.map((d) => d.source), deliveries.map((d) => d.idempotencyKey)],
  );
  const existing = new Map(rows.map((row) => [keyOf(row.source, row.idempotency_key), row]));
  for (const index of indexes) {
    const delivery = batch[index] as NewDelivery;
    const row = existing.get(keyOf(delivery.source, delivery.idempotencyKey ?? ""));
    if (!row) throw new Error("insert was skipped but no delivery has its idempotency key");
    results[index] = { id: row.id, duplicate: true, status: row.status };
  }
  await insertArrivals(
    client,
    deliveries,
    indexes.map((index) => results[index] as RecordResult),
  );
}

/**
 * One row per duplicate, in the batch's transaction: the arrival commits with the duplicate
 * check, before the 2xx. A single INSERT whatever the number of duplicates (arrays, not N rows of
 * parameters).
 */
async function insertArrivals(
  client: PoolClient,
  duplicates: readonly NewDelivery[],
  results: readonly RecordResult[],
): Promise<void> {
  await client.query(
    `INSERT INTO delivery_arrivals (delivery_id, received_at, request_id, sender_attempt, status_code)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::int[])`,
    [
      results.map((result) => result.id),
      duplicates.map((delivery) => delivery.receivedAt),
      duplicates.map((delivery) => delivery.requestId ?? null),
      duplicates.map((delivery) => delivery.senderAttempt ?? null),
      duplicates.map((delivery) => delivery.answer?.statusCode ?? DUPLICATE_STATUS_CODE),
    ],
  );
}
