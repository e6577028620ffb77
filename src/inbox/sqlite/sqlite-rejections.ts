import type { InspectStore, RejectionFilter } from "../inspect-store.ts";
import type { Db } from "./open-database.ts";
import { type RejectionRow, toStoredRejection } from "./rejection-row.ts";
import { clampLimit } from "./sqlite-delivery-lists.ts";
import { createStatementCache } from "./statement-cache.ts";

/**
 * The rejection log holds at most `REJECTION_LOG_SIZE` rows (trimmed at each insert), so a filter
 * reads that many at worst: plain conditions on the primary key order, no index needed.
 */
export function rejectionFilterSql(filter: RejectionFilter): {
  sql: string;
  shape: string;
  params: Record<string, string | number>;
} {
  const conditions = ["id < @beforeId"];
  const params: Record<string, string | number> = {
    beforeId: filter.beforeId ?? Number.MAX_SAFE_INTEGER,
    limit: clampLimit(filter.limit),
  };
  const shape: string[] = [];
  const add = (name: string, condition: string, value: string | number) => {
    conditions.push(condition);
    params[name] = value;
    shape.push(name);
  };
  if (filter.source) add("source", "source = @source", filter.source);
  if (filter.code) add("code", "code = @code", filter.code);
  if (filter.since) add("sinceMs", "received_at_ms >= @sinceMs", filter.since.getTime());
  if (filter.until) add("untilMs", "received_at_ms < @untilMs", filter.until.getTime());
  return {
    sql: `SELECT * FROM rejections WHERE ${conditions.join(" AND ")} ORDER BY id DESC LIMIT @limit`,
    shape: shape.join(",") || "all",
    params,
  };
}

export function createSqliteRejections(
  db: Db,
): Pick<InspectStore, "listRejections" | "countRejectionsSince"> {
  const prepared = createStatementCache(db);
  const countSince = db.prepare<[number], { n: number }>(
    "SELECT count(*) AS n FROM rejections WHERE received_at_ms >= ?",
  );
  return {
    async listRejections(filter = {}) {
      const { sql, shape, params } = rejectionFilterSql(filter);
      return prepared<Record<string, unknown>, RejectionRow>(`rejections:${shape}`, () => sql)
        .all(params)
        .map(toStoredRejection);
    },
    async countRejectionsSince(since) {
      return countSince.get(since.getTime())?.n ?? 0;
    },
  };
}
