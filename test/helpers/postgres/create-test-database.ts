import { randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export interface TestDatabase {
  url: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

/** Whether the server can make ICU databases; asked once per test file. */
let icu: boolean | undefined;

/**
 * A fresh, empty database on the run's PostgreSQL server (see test/setup/postgres-server.ts).
 * Where the server has ICU, its default collation is linguistic (en-US), not C: prefix search and
 * ordering are then tested where a collation-dependent query would go wrong.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("postgresAdminUrl");
  const name = `inbox_test_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  await withAdmin(adminUrl, async (admin) => {
    if (icu !== false) {
      try {
        await admin.query(
          `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`,
        );
        icu = true;
        return;
      } catch {
        icu = false;
      }
    }
    await admin.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await withAdmin(adminUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

async function withAdmin<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
