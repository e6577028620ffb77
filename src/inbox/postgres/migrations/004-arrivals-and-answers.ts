import type { PostgresMigration } from "./migration.ts";

/** As SQLite's migration 7: duplicate arrivals, one row per duplicate, and the answer sent. */
export const arrivalsAndAnswers: PostgresMigration = {
  version: 4,
  name: "duplicate arrivals and the answer sent",
  sql: `
    ALTER TABLE deliveries ADD COLUMN sender_attempt text;
    ALTER TABLE deliveries ADD COLUMN answer_status integer;
    ALTER TABLE deliveries ADD COLUMN answer_body text;
    CREATE TABLE delivery_arrivals (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
      received_at timestamptz NOT NULL,
      request_id text,
      sender_attempt text,
      status_code integer NOT NULL
    );
    CREATE INDEX delivery_arrivals_by_delivery ON delivery_arrivals (delivery_id, id);
  `,
};
