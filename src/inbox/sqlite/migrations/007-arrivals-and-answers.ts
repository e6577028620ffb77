import type { Migration } from "./migration.ts";

/**
 * - `delivery_arrivals`: one row per duplicate request (same source + idempotency key) of a
 *   stored delivery, written in the commit that found it a duplicate. The first arrival is the
 *   delivery row itself (`received_at_ms`, `request_id`, `sender_attempt`, `answer_status`), so a
 *   delivery that arrived once costs no extra row. Read per delivery through its index only.
 * - `answer_status`, `answer_body`: what the sender got back. The body is stored without its
 *   `"id"` key, which is only known after the insert (see `answer-of.ts`). Both are NULL for
 *   deliveries stored before this migration.
 * A delivery's arrivals go with it (ON DELETE CASCADE, through the index), as its attempts do.
 */
export const arrivalsAndAnswers: Migration = {
  version: 7,
  name: "duplicate arrivals and the answer sent",
  sql: `
    ALTER TABLE deliveries ADD COLUMN sender_attempt TEXT;
    ALTER TABLE deliveries ADD COLUMN answer_status INTEGER;
    ALTER TABLE deliveries ADD COLUMN answer_body TEXT;
    CREATE TABLE delivery_arrivals (
      id INTEGER PRIMARY KEY,
      delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
      received_at_ms INTEGER NOT NULL,
      request_id TEXT,
      sender_attempt TEXT,
      status_code INTEGER NOT NULL
    );
    -- Ends, implicitly, in the rowid: a delivery's arrivals in order, newest last.
    CREATE INDEX delivery_arrivals_by_delivery ON delivery_arrivals (delivery_id);
  `,
};
