import type { Migration } from "./migration.ts";

/**
 * - `request_id`: the id of the HTTP request that brought the delivery (`x-request-id`, or one
 *   generated), so that the worker's log lines for it carry the same id as the request's.
 * - `readiness_probe`: the scratch table of `/readyz`'s write check, which writes a
 *   delivery-sized row before it deletes the previous one: when that write fails (disk full,
 *   `max_page_count`), a delivery would fail too. The old `health` table stays for instances of
 *   the previous version during a rolling upgrade.
 */
export const requestIdsAndReadiness: Migration = {
  version: 6,
  name: "request ids and the readiness probe",
  sql: `
    ALTER TABLE deliveries ADD COLUMN request_id TEXT;
    CREATE TABLE readiness_probe (
      id INTEGER PRIMARY KEY,
      written_at_ms INTEGER NOT NULL,
      payload BLOB NOT NULL
    );
  `,
};
