import type { PostgresMigration } from "./migration.ts";

/** As SQLite's migration 6: the request id of each delivery, and `/readyz`'s scratch table. */
export const requestIdsAndReadiness: PostgresMigration = {
  version: 3,
  name: "request ids and the readiness probe",
  sql: `
    ALTER TABLE deliveries ADD COLUMN request_id text;
    CREATE TABLE readiness_probe (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      written_at timestamptz NOT NULL DEFAULT now(),
      payload bytea NOT NULL
    );
  `,
};
