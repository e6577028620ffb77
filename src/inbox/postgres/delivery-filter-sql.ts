import type { DeliveryFilter } from "../inspect-store.ts";

/** A WHERE clause for a `DeliveryFilter` with its positional parameters. */
export interface FilterSql {
  where: string;
  values: unknown[];
  /** The placeholder for one more parameter, numbered after the filter's own. */
  param(value: unknown): string;
}

/** Sorts after every string that starts with the prefix in byte order: `col >= p AND col < p || MAX`. */
const MAX_CHAR = "\u{10FFFF}";

/**
 * Only the filters that are set become conditions, so that the planner sees plain `col = $n` and
 * ranges an index answers. Prefix search compares with `COLLATE "C"` (the columns' own collation):
 * under a linguistic collation `>= 'evt-a'` would not mean "starts with evt-a".
 */
export function deliveryFilterSql(
  filter: DeliveryFilter,
  options: { ignoreStatus?: boolean } = {},
): FilterSql {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };

  if (filter.source) conditions.push(`source = ${param(filter.source)}`);
  if (filter.eventType) conditions.push(`event_type = ${param(filter.eventType)}`);
  if (filter.status && !options.ignoreStatus) conditions.push(`status = ${param(filter.status)}`);
  if (filter.since) conditions.push(`received_at >= ${param(filter.since)}`);
  if (filter.until) conditions.push(`received_at < ${param(filter.until)}`);
  const search = filter.search?.trim();
  if (search) {
    const id = param(/^\d{1,15}$/.test(search) ? Number(search) : -1);
    const from = param(search);
    const to = param(search + MAX_CHAR);
    const prefix = (column: string) =>
      `(${column} >= ${from}::text COLLATE "C" AND ${column} < ${to}::text COLLATE "C")`;
    conditions.push(`(id = ${id} OR ${prefix("idempotency_key")} OR ${prefix("entity_uid")})`);
  }
  return { where: conditions.length > 0 ? conditions.join(" AND ") : "TRUE", values, param };
}
