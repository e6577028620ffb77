import type { Migration } from "./migration.ts";

export const deliveriesAndRejections: Migration = {
  version: 1,
  name: "deliveries and rejections",
  sql: `
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        idempotency_key TEXT,
        event_type TEXT,
        payload_mode TEXT CHECK (payload_mode IN ('uid', 'full')),
        entity_uid TEXT,
        status TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        auth_method TEXT NOT NULL,
        auth_key TEXT,
        issues TEXT,
        received_at_ms INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX deliveries_by_idempotency_key
        ON deliveries (source, idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX deliveries_by_received_at ON deliveries (received_at_ms);

      CREATE TABLE rejections (
        id INTEGER PRIMARY KEY,
        source TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        headers TEXT NOT NULL,
        body_excerpt BLOB NOT NULL,
        body_bytes INTEGER NOT NULL,
        received_at_ms INTEGER NOT NULL
      );

      CREATE TABLE health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at_ms INTEGER NOT NULL);
    `,
};
