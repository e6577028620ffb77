import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { DELIVERY_STATUSES } from "../inbox.ts";
import { CHART_ROW_CAP, type DeliveryFilter, type InspectStore } from "../inspect-store.ts";
import { createIntervalCounter } from "../interval-counter.ts";
import { deliveryFilterSql, type FilterSql, statusIndexFor } from "./delivery-filter-sql.ts";
import type { Db } from "./open-database.ts";
import { createStatementCache } from "./statement-cache.ts";

/**
 * One status's newest deliveries in the time range, read backwards along the index that leads
 * with the status and the filter's column (`received_at_ms` next), stopping after
 * `CHART_ROW_CAP + 1`: without a source or event type it is deliveries_by_status alone, no row
 * read. A search reads its own indexes, as the list does.
 */
export function intervalCountSql(filter: DeliveryFilter): FilterSql & { sql: string } {
  const filterSql = deliveryFilterSql({ ...filter, status: "pending" });
  return {
    ...filterSql,
    sql: `SELECT received_at_ms FROM deliveries ${statusIndexFor(filter)}
      WHERE ${filterSql.where} ORDER BY received_at_ms DESC LIMIT @capPlusOne`,
  };
}

export function createSqliteIntervalCounts(db: Db): InspectStore["countByInterval"] {
  const prepared = createStatementCache(db);

  return async (filter, range) => {
    const counter = createIntervalCounter(range);
    const ranged = {
      ...filter,
      since: new Date(counter.sinceMs),
      until: new Date(counter.untilMs),
    };
    const { sql, shape, params } = intervalCountSql(ranged);
    const statement = prepared<Record<string, unknown>, number[]>(`interval:${shape}`, () => sql);
    let capped = false;
    const statuses = DELIVERY_STATUSES.filter(
      (status) => !filter.status || filter.status === status,
    );
    for (const status of statuses) {
      // One status per turn of the event loop: an acknowledgement waits for one range at most.
      await yieldToEventLoop();
      const times = statement
        .raw()
        .all({ ...params, status, capPlusOne: CHART_ROW_CAP + 1 }) as unknown as [number][];
      if (times.length > CHART_ROW_CAP) capped = true;
      for (const [ms] of times) counter.add(ms, status);
    }
    return counter.result(capped);
  };
}
