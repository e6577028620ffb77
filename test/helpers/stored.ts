import type { Db } from "../../src/inbox/sqlite/open-database.ts";

/** Counts rows straight from SQLite: tests check what is on disk, not what the code says it did. */
export function countRows(
  db: Db,
  table: "deliveries" | "rejections" | "attempts" | "conversation_snapshots",
  where = "1 = 1",
): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
}
