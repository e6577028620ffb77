import { randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export interface TestDatabase {
  /** A URL whose connections see only this test's schema (`search_path` set at connect). */
  url: string;
  /** Drops the schema, and with it everything the test stored. */
  drop(): Promise<void>;
}

/** Every name this suite creates starts so; the global teardown drops what a crash left behind. */
export const TEST_DATABASE_PREFIX = "inbox_test_";

let fileDatabase: Promise<string> | undefined;

/**
 * A fresh, empty place for one test's inbox on the run's PostgreSQL server (see
 * test/setup/postgres-server.ts): one database per test file (CREATE DATABASE costs about half a
 * second) and one schema per test in it. Where the server has ICU the database's collation is
 * linguistic (en-US), not C: prefix search and ordering are then tested where a query that relied
 * on the collation would go wrong.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  fileDatabase ??= createDatabase(inject("postgresAdminUrl"));
  const databaseUrl = await fileDatabase;
  const schema = `t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(databaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      await withClient(databaseUrl, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
    },
  };
}

async function createDatabase(adminUrl: string): Promise<string> {
  const name = `${TEST_DATABASE_PREFIX}${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  await withClient(adminUrl, async (admin) => {
    try {
      await admin.query(
        `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`,
      );
    } catch {
      // A server without ICU (or before PostgreSQL 15): its default collation it is.
      await admin.query(`CREATE DATABASE ${name}`);
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient<T>(
  url: string,
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
