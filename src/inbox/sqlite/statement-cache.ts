import type { Statement } from "better-sqlite3";
import type { Db } from "./open-database.ts";

/** Prepares the SQL for `key` on first use and returns the same statement afterwards. */
export type PrepareOnce = <P, R>(key: string, sql: () => string) => Statement<P[], R>;

/**
 * For statements whose text depends on which filters are set: one statement per shape, so that
 * SQLite plans each shape once and sees plain `col = ?` terms it can answer from an index.
 */
export function createStatementCache(db: Db): PrepareOnce {
  const byKey = new Map<string, Statement>();
  return <P, R>(key: string, sql: () => string) => {
    let statement = byKey.get(key);
    if (!statement) {
      statement = db.prepare(sql());
      byKey.set(key, statement);
    }
    return statement as unknown as Statement<P[], R>;
  };
}
