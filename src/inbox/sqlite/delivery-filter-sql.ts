import type { DeliveryFilter } from "../inspect-store.ts";

/** A WHERE clause for a `DeliveryFilter`, its named parameters, and a key naming its shape. */
export interface FilterSql {
  where: string;
  params: Record<string, string | number>;
  /** Same key, same SQL text: statements are prepared once per shape and reused. */
  shape: string;
}

/**
 * The index that reads one status of a filter in `received_at_ms` order, named in the query
 * (INDEXED BY) rather than left to the planner: without statistics it takes a two-sided time
 * range on deliveries_by_status for better than an equality on the source, and reads every row
 * of the status. Naming it also fails at prepare time, loudly, if the index is ever dropped.
 * A search reads its own indexes instead. https://www.sqlite.org/lang_indexedby.html
 */
export function statusIndexFor(filter: DeliveryFilter): string {
  if (filter.search?.trim()) return "";
  if (filter.eventType) return "INDEXED BY deliveries_by_status_event_type";
  if (filter.source) return "INDEXED BY deliveries_by_status_source";
  return "INDEXED BY deliveries_by_status";
}

/** Sorts after every UTF-8 string that starts with the prefix: `col >= p AND col < p || MAX`. */
const MAX_CHAR = "\u{10FFFF}";

/**
 * Only the filters that are set become conditions, so that SQLite sees plain `col = ?` and
 * ranges it can answer from an index (a `@x IS NULL OR col = @x` form would defeat them).
 */
export function deliveryFilterSql(
  filter: DeliveryFilter,
  options: { ignoreStatus?: boolean } = {},
): FilterSql {
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  const shape: string[] = [];
  function add(name: string, condition: string, values: Record<string, string | number>) {
    conditions.push(condition);
    Object.assign(params, values);
    shape.push(name);
  }

  if (filter.source) add("source", "source = @source", { source: filter.source });
  if (filter.eventType)
    add("eventType", "event_type = @eventType", { eventType: filter.eventType });
  if (filter.status && !options.ignoreStatus)
    add("status", "status = @status", { status: filter.status });
  if (filter.since) add("since", "received_at_ms >= @sinceMs", { sinceMs: filter.since.getTime() });
  if (filter.until) add("until", "received_at_ms < @untilMs", { untilMs: filter.until.getTime() });
  const search = filter.search?.trim();
  if (search) {
    add(
      "search",
      `(id = @searchId
        OR (idempotency_key >= @search AND idempotency_key < @searchEnd)
        OR (entity_uid >= @search AND entity_uid < @searchEnd))`,
      {
        searchId: /^\d{1,15}$/.test(search) ? Number(search) : -1,
        search,
        searchEnd: search + MAX_CHAR,
      },
    );
  }
  return {
    where: conditions.length > 0 ? conditions.join(" AND ") : "1 = 1",
    params,
    shape: shape.join(",") || "all",
  };
}
