import { ARRIVALS_COUNT_CAP, MAX_ARRIVALS_LISTED, type StoredArrival } from "../inspect-store.ts";
import type { Pool } from "./create-pool.ts";
import type { DeliveryRow } from "./delivery-row.ts";

/** Duplicates counted per delivery: the cap less the first arrival. */
const DUPLICATES_CAP = ARRIVALS_COUNT_CAP - 1;

/**
 * 1 + duplicate arrivals per listed id, up to `ARRIVALS_COUNT_CAP`: a correlated count per id,
 * each a capped range of delivery_arrivals_by_delivery, never a join over every arrival.
 */
export async function countArrivals(
  pool: Pick<Pool, "query">,
  ids: readonly number[],
): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await pool.query<{ id: number; n: number }>(
    `SELECT listed.id, (SELECT count(*) FROM (
       SELECT 1 FROM delivery_arrivals WHERE delivery_id = listed.id LIMIT $2) AS capped)::int AS n
     FROM unnest($1::bigint[]) AS listed(id)`,
    [ids, DUPLICATES_CAP],
  );
  return new Map(rows.map((row) => [row.id, 1 + row.n]));
}

/** The first arrival (the delivery row itself) and the newest duplicates, oldest first. */
export async function listArrivals(
  pool: Pick<Pool, "query">,
  row: DeliveryRow,
): Promise<{ arrivals: StoredArrival[]; arrivalsNotListed: number }> {
  const [newest, total] = await Promise.all([
    pool.query<{
      received_at: Date;
      request_id: string | null;
      sender_attempt: string | null;
      status_code: number;
    }>(
      `SELECT * FROM (
         SELECT id, received_at, request_id, sender_attempt, status_code FROM delivery_arrivals
         WHERE delivery_id = $1 ORDER BY id DESC LIMIT $2) AS newest ORDER BY id`,
      [row.id, MAX_ARRIVALS_LISTED - 1],
    ),
    pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM delivery_arrivals WHERE delivery_id = $1 LIMIT $2) AS capped`,
      [row.id, DUPLICATES_CAP],
    ),
  ]);
  const first: StoredArrival = {
    receivedAt: row.received_at,
    requestId: row.request_id,
    senderAttempt: row.sender_attempt,
    statusCode: row.answer_status,
    duplicate: false,
  };
  const duplicates = newest.rows.map(
    (arrival): StoredArrival => ({
      receivedAt: arrival.received_at,
      requestId: arrival.request_id,
      senderAttempt: arrival.sender_attempt,
      statusCode: arrival.status_code,
      duplicate: true,
    }),
  );
  return {
    arrivals: [first, ...duplicates],
    arrivalsNotListed: Math.max(0, (total.rows[0]?.n ?? 0) - duplicates.length),
  };
}
