import type { Pool } from "./create-pool.ts";
import { transactionOn } from "./in-transaction.ts";
import { POSTGRES_MIGRATIONS } from "./migrations/index.ts";

/** One key for every instance of the kit: `hashtext` of a fixed name, an int4 that fits int8. */
export const MIGRATION_LOCK = "hashtext('webhook-inbox: migrations')";

/**
 * Brings the schema up to date. Ten instances starting at once queue on one advisory lock: the
 * first applies what is missing, the others then find nothing to do. Each migration commits with
 * its row in `schema_migrations`, so a crash between two leaves a consistent schema.
 */
export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: number }>(
        "SELECT version FROM schema_migrations",
      );
      const applied = new Set(rows.map((row) => row.version));
      const missing = POSTGRES_MIGRATIONS.filter((migration) => !applied.has(migration.version));
      for (const migration of missing) {
        await transactionOn(client, async (tx) => {
          await tx.query(migration.sql);
          await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
            migration.version,
            migration.name,
          ]);
        });
      }
      return missing.map((migration) => migration.version);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } finally {
    client.release();
  }
}
