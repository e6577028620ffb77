/**
 * vitest globalSetup: one PostgreSQL server for the whole run, shared by every test file (each
 * makes its own databases, see test/helpers/postgres/create-test-database.ts). TEST_DATABASE_URL
 * points at an existing server instead; its user must be allowed to CREATE DATABASE.
 */
import type { TestProject } from "vitest/node";
import { startPostgresServer } from "../helpers/postgres/start-postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const given = process.env.TEST_DATABASE_URL?.trim();
  if (given) {
    project.provide("postgresAdminUrl", given);
    return;
  }
  const server = await startPostgresServer();
  project.provide("postgresAdminUrl", server.url);
  return () => server.stop();
}
