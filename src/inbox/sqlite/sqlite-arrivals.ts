import { ARRIVALS_COUNT_CAP, MAX_ARRIVALS_LISTED, type StoredArrival } from "../inspect-store.ts";
import type { DeliveryRow } from "./delivery-row.ts";
import type { Db } from "./open-database.ts";

export interface SqliteArrivals {
  /** 1 + duplicate arrivals per id, up to `ARRIVALS_COUNT_CAP`: one index range per listed row. */
  countFor(ids: readonly number[]): Map<number, number>;
  /** The first arrival (the row itself) and the newest duplicates, oldest first. */
  listFor(row: DeliveryRow): { arrivals: StoredArrival[]; arrivalsNotListed: number };
}

interface ArrivalRow {
  received_at_ms: number;
  request_id: string | null;
  sender_attempt: string | null;
  status_code: number;
}

/** Duplicates counted per delivery: the cap less the first arrival. */
const DUPLICATES_CAP = ARRIVALS_COUNT_CAP - 1;

/** Every read of delivery_arrivals: one capped range of its index each (see query-plans.test.ts). */
export const ARRIVAL_READS = {
  // A correlated count per listed id, each stopped at the cap: never a scan of every arrival.
  counts: `SELECT value AS id, (SELECT count(*) FROM (
      SELECT 1 FROM delivery_arrivals WHERE delivery_id = value LIMIT @cap)) AS n
    FROM json_each(@ids)`,
  newest: `SELECT * FROM (
      SELECT received_at_ms, request_id, sender_attempt, status_code, id FROM delivery_arrivals
      WHERE delivery_id = @id ORDER BY id DESC LIMIT @limit) ORDER BY id`,
  count: `SELECT count(*) AS n FROM (
      SELECT 1 FROM delivery_arrivals WHERE delivery_id = @id LIMIT @cap)`,
};

export function createSqliteArrivals(db: Db): SqliteArrivals {
  const statements = {
    counts: db.prepare<{ ids: string; cap: number }, { id: number; n: number }>(
      ARRIVAL_READS.counts,
    ),
    newest: db.prepare<{ id: number; limit: number }, ArrivalRow>(ARRIVAL_READS.newest),
    count: db.prepare<{ id: number; cap: number }, { n: number }>(ARRIVAL_READS.count),
  };

  return {
    countFor(ids) {
      if (ids.length === 0) return new Map();
      const rows = statements.counts.all({ ids: JSON.stringify(ids), cap: DUPLICATES_CAP });
      return new Map(rows.map((row) => [row.id, 1 + row.n]));
    },
    listFor(row) {
      const duplicates = statements.newest.all({ id: row.id, limit: MAX_ARRIVALS_LISTED - 1 });
      const total = statements.count.get({ id: row.id, cap: DUPLICATES_CAP })?.n ?? 0;
      const first: StoredArrival = {
        receivedAt: new Date(row.received_at_ms),
        requestId: row.request_id,
        senderAttempt: row.sender_attempt,
        statusCode: row.answer_status,
        duplicate: false,
      };
      return {
        arrivals: [first, ...duplicates.map(toArrival)],
        arrivalsNotListed: Math.max(0, total - duplicates.length),
      };
    },
  };
}

function toArrival(row: ArrivalRow): StoredArrival {
  return {
    receivedAt: new Date(row.received_at_ms),
    requestId: row.request_id,
    senderAttempt: row.sender_attempt,
    statusCode: row.status_code,
    duplicate: true,
  };
}
