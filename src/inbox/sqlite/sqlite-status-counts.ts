import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../inbox.ts";
import { COUNT_CAP, type DeliveryFilter, type StatusCounts } from "../inspect-store.ts";
import { deliveryFilterSql, type FilterSql, statusIndexFor } from "./delivery-filter-sql.ts";
import type { Db } from "./open-database.ts";
import { createStatementCache } from "./statement-cache.ts";

/**
 * One status's count as a range of the index that leads with the status and the filter's
 * columns, stopping after `COUNT_CAP + 1` rows: at most that many index entries are read,
 * however many match.
 */
export function statusCountSql(filter: DeliveryFilter): FilterSql & { sql: string } {
  const filterSql = deliveryFilterSql({ ...filter, status: "pending" });
  return {
    ...filterSql,
    sql: `SELECT count(*) AS n FROM (
      SELECT 1 FROM deliveries ${statusIndexFor(filter)} WHERE ${filterSql.where}
      LIMIT @capPlusOne)`,
  };
}

/**
 * A search matches few rows through its own indexes, and none of them leads with the status:
 * one pass over at most `COUNT_CAP + 1` matches, grouped. Past the cap every figure is a floor.
 */
export function searchCountSql(filter: DeliveryFilter): FilterSql & { sql: string } {
  const filterSql = deliveryFilterSql(filter, { ignoreStatus: true });
  return {
    ...filterSql,
    sql: `SELECT status, count(*) AS n FROM (
      SELECT status FROM deliveries WHERE ${filterSql.where} LIMIT @capPlusOne) GROUP BY status`,
  };
}

export function createSqliteStatusCounts(
  db: Db,
): (filter: DeliveryFilter) => Promise<StatusCounts> {
  const prepared = createStatementCache(db);

  /** One status per turn of the event loop: an acknowledgement waits for one range at most. */
  async function countEachStatus(filter: DeliveryFilter): Promise<StatusCounts> {
    const { sql, shape, params } = statusCountSql(filter);
    const statement = prepared<Record<string, unknown>, { n: number }>(`count:${shape}`, () => sql);
    const counts = emptyCounts();
    const capped: DeliveryStatus[] = [];
    for (const status of DELIVERY_STATUSES) {
      await yieldToEventLoop();
      const n = statement.get({ ...params, status, capPlusOne: COUNT_CAP + 1 })?.n ?? 0;
      counts[status] = Math.min(n, COUNT_CAP);
      if (n > COUNT_CAP) capped.push(status);
    }
    return { counts, capped };
  }

  function countSearch(filter: DeliveryFilter): StatusCounts {
    const { sql, shape, params } = searchCountSql(filter);
    const rows = prepared<Record<string, unknown>, { status: DeliveryStatus; n: number }>(
      `search-count:${shape}`,
      () => sql,
    ).all({ ...params, capPlusOne: COUNT_CAP + 1 });
    const counts = emptyCounts();
    for (const row of rows) counts[row.status] = row.n;
    const total = rows.reduce((sum, row) => sum + row.n, 0);
    return { counts, capped: total > COUNT_CAP ? [...DELIVERY_STATUSES] : [] };
  }

  return async (filter) => (filter.search?.trim() ? countSearch(filter) : countEachStatus(filter));
}

function emptyCounts(): Record<DeliveryStatus, number> {
  return Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as Record<
    DeliveryStatus,
    number
  >;
}
