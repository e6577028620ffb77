import { DELIVERY_STATUSES, type DeliveryStatus } from "../inbox.ts";
import { CHART_ROW_CAP, type DeliveryFilter, type InspectStore } from "../inspect-store.ts";
import { createIntervalCounter } from "../interval-counter.ts";
import type { Pool } from "./create-pool.ts";
import { deliveryFilterSql } from "./delivery-filter-sql.ts";

const EPOCH_MS = "(extract(epoch FROM received_at) * 1000)::float8 AS received_at_ms";

interface TimeRow {
  status: DeliveryStatus;
  received_at_ms: number;
  /** Which capped range the row came from: one per status, or 0 for the whole time range. */
  part: number;
  matches: boolean;
}

/**
 * With a status, source or event type, one capped range per status (only the filter's, if it has
 * one) of the index that leads with the status (and that column; received_at next): only
 * matching rows are read, as on SQLite. Otherwise the newest `CHART_ROW_CAP + 1` deliveries of
 * the time range along deliveries_by_received_at, a search checked on those: a rare match never
 * walks the whole day.
 */
export function intervalCountQuery(filter: DeliveryFilter): { text: string; values: unknown[] } {
  // Not the newest rows of every status: a busy day's `done` would leave `dead` a few hours.
  if (filter.status || filter.source || filter.eventType) {
    const sql = deliveryFilterSql(filter, { ignoreStatus: true });
    const limit = sql.param(CHART_ROW_CAP + 1);
    const statuses = DELIVERY_STATUSES.filter(
      (status) => !filter.status || filter.status === status,
    );
    const parts = statuses.map(
      (status, index) =>
        `(SELECT status, ${EPOCH_MS}, ${index + 1} AS part, TRUE AS matches FROM deliveries
          WHERE status = ${sql.param(status)} AND ${sql.where}
          ORDER BY received_at DESC LIMIT ${limit})`,
    );
    return { text: parts.join("\nUNION ALL\n"), values: sql.values };
  }
  // Every row read comes back, matching or not, so that `capped` counts what was read.
  const rest = deliveryFilterSql({ ...filter, since: undefined, until: undefined });
  const since = rest.param(filter.since);
  const until = rest.param(filter.until);
  const limit = rest.param(CHART_ROW_CAP + 1);
  return {
    text: `SELECT status, ${EPOCH_MS}, 0 AS part, (${rest.where}) AS matches FROM (
        SELECT * FROM deliveries WHERE received_at >= ${since} AND received_at < ${until}
        ORDER BY received_at DESC LIMIT ${limit}) AS deliveries`,
    values: rest.values,
  };
}

export function createPostgresIntervalCounts(pool: Pool): InspectStore["countByInterval"] {
  return async (filter, range) => {
    const counter = createIntervalCounter(range);
    const query = intervalCountQuery({
      ...filter,
      since: new Date(counter.sinceMs),
      until: new Date(counter.untilMs),
    });
    const { rows } = await pool.query<TimeRow>(query.text, query.values);
    const perPart = new Map<number, number>();
    for (const row of rows) {
      if (row.matches) counter.add(row.received_at_ms, row.status);
      perPart.set(row.part, (perPart.get(row.part) ?? 0) + 1);
    }
    return counter.result([...perPart.values()].some((n) => n > CHART_ROW_CAP));
  };
}
