import { DELIVERY_STATUSES, type DeliveryStatus } from "../inbox.ts";
import { COUNT_CAP, type DeliveryFilter, type StatusCounts } from "../inspect-store.ts";
import type { Pool } from "./create-pool.ts";
import { deliveryFilterSql } from "./delivery-filter-sql.ts";

/**
 * Per status, at most `COUNT_CAP + 1` rows are read (one capped range of the index that leads
 * with the status and the filter's column), in one round trip: the cost stays small however many
 * rows match. Past the cap a figure is a floor, listed in `capped` ("10,000+").
 */
export async function countByStatus(
  db: Pick<Pool, "query">,
  filter: DeliveryFilter,
): Promise<StatusCounts> {
  const sql = deliveryFilterSql(filter, { ignoreStatus: true });
  const statuses = sql.param(DELIVERY_STATUSES);
  const limit = sql.param(COUNT_CAP + 1);
  const { rows } = await db.query<{ status: DeliveryStatus; n: number }>(
    `SELECT s.status, (SELECT count(*) FROM (
        SELECT 1 FROM deliveries WHERE deliveries.status = s.status AND ${sql.where} LIMIT ${limit}
      ) AS matching)::int AS n
     FROM unnest(${statuses}::text[]) AS s(status)`,
    sql.values,
  );
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as Record<
    DeliveryStatus,
    number
  >;
  const capped: DeliveryStatus[] = [];
  for (const { status, n } of rows) {
    counts[status] = Math.min(n, COUNT_CAP);
    if (n > COUNT_CAP) capped.push(status);
  }
  return { counts, capped };
}
