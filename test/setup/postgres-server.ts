/**
 * vitest globalSetup: one PostgreSQL server for the whole run, shared by every test file (each
 * makes its own database, see test/helpers/postgres/create-test-database.ts). TEST_DATABASE_URL
 * points at an existing server instead; its user must be allowed to CREATE DATABASE, and the
 * databases the run made there are dropped at the end.
 */
import type { TestProject } from "vitest/node";
import { TEST_DATABASE_PREFIX, withClient } from "../helpers/postgres/create-test-database.ts";
import { startPostgresServer } from "../helpers/postgres/start-postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL?.trim();
  if (given) {
    project.provide("postgresAdminUrl", given);
    return () => dropTestDatabases(given);
  }
  const server = await startPostgresServer();
  project.provide("postgresAdminUrl", server.url);
  return () => server.stop();
}

async function dropTestDatabases(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [TEST_DATABASE_PREFIX],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  });
}
