import type { Migration } from "./migration.ts";

/**
 * What the worker needs: a lease per delivery (a claim that expires, so that a delivery claimed by
 * a process that died runs again), the retry schedule, one row per processing attempt, and the
 * conversation snapshots that handlers fetched.
 */
export const worker: Migration = {
  version: 2,
  name: "worker leases, attempts and conversation snapshots",
  sql: `
    ALTER TABLE deliveries ADD COLUMN attempt_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE deliveries ADD COLUMN next_attempt_at_ms INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE deliveries ADD COLUMN lease_owner TEXT;
    ALTER TABLE deliveries ADD COLUMN lease_expires_at_ms INTEGER;
    ALTER TABLE deliveries ADD COLUMN last_error TEXT;
    ALTER TABLE deliveries ADD COLUMN processed_at_ms INTEGER;
    ALTER TABLE deliveries ADD COLUMN next_trigger TEXT NOT NULL DEFAULT 'receipt'
      CHECK (next_trigger IN ('receipt', 'retry', 'replay'));
    CREATE INDEX deliveries_runnable ON deliveries (status, next_attempt_at_ms)
      WHERE status IN ('pending', 'processing');

    CREATE TABLE attempts (
      id INTEGER PRIMARY KEY,
      delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
      number INTEGER NOT NULL,
      trigger TEXT NOT NULL CHECK (trigger IN ('receipt', 'retry', 'replay')),
      worker TEXT NOT NULL,
      started_at_ms INTEGER NOT NULL,
      ended_at_ms INTEGER,
      outcome TEXT CHECK (outcome IN ('succeeded', 'failed', 'abandoned', 'skipped')),
      error TEXT
    );
    CREATE INDEX attempts_by_delivery ON attempts (delivery_id, number);

    CREATE TABLE conversation_snapshots (
      uid TEXT PRIMARY KEY,
      last_changed_ms INTEGER NOT NULL,
      conversation TEXT NOT NULL,
      origin TEXT NOT NULL CHECK (origin IN ('payload', 'api')),
      delivery_id INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
      stored_at_ms INTEGER NOT NULL
    );
  `,
};
