import type { InspectStore, RejectionFilter } from "../inspect-store.ts";
import type { Pool } from "./create-pool.ts";
import { type RejectionRow, toStoredRejection } from "./rejection-row.ts";

/**
 * The rejection log holds at most `REJECTION_LOG_SIZE` rows (trimmed at each insert), so a filter
 * reads that many at worst, newest first along the primary key.
 */
export function rejectionFilterQuery(
  filter: RejectionFilter,
  limit: number,
): { text: string; values: unknown[] } {
  const values: unknown[] = [filter.beforeId ?? Number.MAX_SAFE_INTEGER];
  const conditions = ["id < $1"];
  const add = (column: string, operator: string, value: unknown) => {
    values.push(value);
    conditions.push(`${column} ${operator} $${values.length}`);
  };
  if (filter.source) add("source", "=", filter.source);
  if (filter.code) add("code", "=", filter.code);
  if (filter.since) add("received_at", ">=", filter.since);
  if (filter.until) add("received_at", "<", filter.until);
  values.push(limit);
  return {
    text: `SELECT * FROM rejections WHERE ${conditions.join(" AND ")}
      ORDER BY id DESC LIMIT $${values.length}`,
    values,
  };
}

export function createPostgresRejections(
  pool: Pool,
  clampLimit: (limit: number | undefined) => number,
): Pick<InspectStore, "listRejections" | "countRejectionsSince"> {
  return {
    async listRejections(filter = {}) {
      const query = rejectionFilterQuery(filter, clampLimit(filter.limit));
      const { rows } = await pool.query<RejectionRow>(query.text, query.values);
      return rows.map(toStoredRejection);
    },
    async countRejectionsSince(since) {
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM rejections WHERE received_at >= $1",
        [since],
      );
      return rows[0]?.n ?? 0;
    },
  };
}
