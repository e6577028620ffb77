import { DELIVERY_STATUSES } from "../inbox.ts";
import {
  DEFAULT_PAGE_SIZE,
  type DeliveryFilter,
  type InspectStore,
  MAX_PAGE_SIZE,
  NEW_DELIVERIES_WINDOW,
  toDeliveryPage,
} from "../inspect-store.ts";
import { deliveryFilterSql, type FilterSql, statusIndexFor } from "./delivery-filter-sql.ts";
import type { Db } from "./open-database.ts";
import type { SqliteArrivals } from "./sqlite-arrivals.ts";
import { createStatementCache } from "./statement-cache.ts";
import { SUMMARY_COLUMNS, type SummaryRow, toSummary } from "./summary-row.ts";

/**
 * One page, newest first: a range of the index for the filter's status, read backwards from the
 * cursor. SQLite answers `ORDER BY received_at_ms DESC, id DESC LIMIT n` from an index only when
 * every column before `received_at_ms` is fixed, so a filter without a status is one short range
 * per status, merged here (7 × n rows at most) instead of one index without the status that
 * every insert and status change would pay for.
 */
export function deliveryPageSql(
  filter: DeliveryFilter,
  paged: boolean,
): FilterSql & { sql: string } {
  const filterSql = deliveryFilterSql(filter);
  // Not a row value `(received_at_ms, id) < (…)`: with statistics, SQLite reads that with a
  // skip-scan and a sort instead of a range.
  const keyset = paged
    ? "AND received_at_ms <= @beforeMs AND (received_at_ms < @beforeMs OR id < @beforeId)"
    : "";
  return {
    ...filterSql,
    sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries ${filter.status ? statusIndexFor(filter) : ""}
      WHERE ${filterSql.where} ${keyset}
      ORDER BY received_at_ms DESC, id DESC LIMIT @limit`,
  };
}

/**
 * A stretch of newer ids read by rowid, the filter checked on each row: NOT INDEXED keeps SQLite
 * from preferring a filter's index and sorting all it matches.
 */
export function newDeliveriesSql(filter: DeliveryFilter): FilterSql & { sql: string } {
  const filterSql = deliveryFilterSql(filter);
  return {
    ...filterSql,
    sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries NOT INDEXED
      WHERE id > @afterId AND id <= @throughId AND ${filterSql.where} ORDER BY id LIMIT @limit`,
  };
}

export const WINDOW_END_SQL = `SELECT max(id) AS id FROM (
  SELECT id FROM deliveries WHERE id > @afterId ORDER BY id LIMIT @window)`;

/** `arrivals` counts each listed delivery's arrivals: the store's own, shared with its detail. */
export function createSqliteDeliveryLists(
  db: Db,
  arrivals: SqliteArrivals,
): Pick<InspectStore, "listDeliveries" | "listNewDeliveries"> {
  const prepared = createStatementCache(db);
  const toSummaries = (rows: SummaryRow[]) => {
    const counts = arrivals.countFor(rows.map((row) => row.id));
    return rows.map((row) => toSummary(row, counts.get(row.id)));
  };
  const newestId = db.prepare<[], { id: number | null }>("SELECT max(id) AS id FROM deliveries");
  const windowEnd = db.prepare<{ afterId: number; window: number }, { id: number | null }>(
    WINDOW_END_SQL,
  );

  function readPage(filter: DeliveryFilter, params: Record<string, number>): SummaryRow[] {
    const paged = "beforeMs" in params;
    const { sql, shape, params: filterParams } = deliveryPageSql(filter, paged);
    return prepared<Record<string, unknown>, SummaryRow>(`page:${shape}:${paged}`, () => sql).all({
      ...filterParams,
      ...params,
    });
  }

  return {
    async listDeliveries(filter, page = {}) {
      const limit = clampLimit(page.limit);
      const params = {
        limit: limit + 1,
        ...(page.before ? { beforeMs: page.before.receivedAtMs, beforeId: page.before.id } : {}),
      };
      // A search reads its own indexes (few rows); a status fixes the index range already.
      const rows =
        filter.status || filter.search?.trim()
          ? readPage(filter, params)
          : DELIVERY_STATUSES.flatMap((status) => readPage({ ...filter, status }, params))
              .sort((a, b) => b.received_at_ms - a.received_at_ms || b.id - a.id)
              .slice(0, limit + 1);
      return toDeliveryPage(toSummaries(rows), limit, newestId.get()?.id ?? 0);
    },
    async listNewDeliveries(filter, afterId, limit) {
      const throughId = windowEnd.get({ afterId, window: NEW_DELIVERIES_WINDOW })?.id ?? afterId;
      const { sql, shape, params } = newDeliveriesSql(filter);
      const rows = prepared<Record<string, unknown>, SummaryRow>(`new:${shape}`, () => sql).all({
        ...params,
        afterId,
        throughId,
        limit: clampLimit(limit),
      });
      const full = rows.length === clampLimit(limit);
      return {
        deliveries: toSummaries(rows),
        seenThroughId: full ? (rows.at(-1)?.id ?? afterId) : throughId,
      };
    },
  };
}

export function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit ?? DEFAULT_PAGE_SIZE)));
}
