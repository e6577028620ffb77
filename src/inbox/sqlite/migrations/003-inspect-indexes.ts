import type { Migration } from "./migration.ts";

/**
 * What the inspect page, `npm run events` and retention need to stay fast with a million rows.
 * Every index ends, implicitly, in the rowid (`id`), so that keyset pages on
 * (received_at_ms, id) are range scans, not sorts. https://www.sqlite.org/queryplanner.html
 */
export const inspectIndexes: Migration = {
  version: 3,
  name: "indexes for inspect, search and retention",
  sql: `
    -- Filter by status, and count by status without reading the table.
    CREATE INDEX deliveries_by_status ON deliveries (status, received_at_ms);
    CREATE INDEX deliveries_by_source ON deliveries (source, received_at_ms);
    CREATE INDEX deliveries_by_event_type ON deliveries (event_type, received_at_ms);
    -- Free-text search matches a prefix of the entity uid or the event id (idempotency key).
    CREATE INDEX deliveries_by_entity_uid ON deliveries (entity_uid) WHERE entity_uid IS NOT NULL;
    CREATE INDEX deliveries_by_key ON deliveries (idempotency_key) WHERE idempotency_key IS NOT NULL;
    -- Deleting a delivery sets its snapshots' delivery_id to NULL: without this, each delete scans.
    CREATE INDEX snapshots_by_delivery ON conversation_snapshots (delivery_id);
    CREATE INDEX rejections_by_received_at ON rejections (received_at_ms);
  `,
};
