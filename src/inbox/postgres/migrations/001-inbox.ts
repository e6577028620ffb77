import { DELIVERY_STATUSES } from "../../inbox.ts";
import type { PostgresMigration } from "./migration.ts";

const STATUSES = DELIVERY_STATUSES.map((status) => `'${status}'`).join(", ");

/**
 * The whole inbox as the SQLite migrations 1-4 built it, in one step. Times are `timestamptz`;
 * leases and attempts are stamped with the database's clock (`now()`), never a machine's.
 * Event ids and entity uids are `COLLATE "C"`: prefix search is a byte-order range scan whatever
 * collation the database was created with.
 */
export const inbox: PostgresMigration = {
  version: 1,
  name: "deliveries, attempts, snapshots, rejections",
  sql: `
    CREATE TABLE deliveries (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source text NOT NULL,
      idempotency_key text COLLATE "C",
      event_type text,
      payload_mode text CHECK (payload_mode IN ('uid', 'full')),
      entity_uid text COLLATE "C",
      status text NOT NULL CHECK (status IN (${STATUSES})),
      method text NOT NULL,
      path text NOT NULL,
      headers json NOT NULL,
      body bytea NOT NULL,
      auth_method text NOT NULL,
      auth_key text,
      issues json,
      received_at timestamptz NOT NULL,
      attempt_count integer NOT NULL DEFAULT 0,
      attempts_before_replay integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      next_trigger text NOT NULL DEFAULT 'receipt' CHECK (next_trigger IN ('receipt', 'retry', 'replay')),
      lease_owner text,
      lease_expires_at timestamptz,
      last_error text,
      processed_at timestamptz,
      -- NULL keys (malformed bodies) are distinct: they are kept for audit, never deduplicated.
      CONSTRAINT deliveries_idempotency_key UNIQUE (source, idempotency_key)
    );
    -- The claim reads this index in order and stops at the first row it can lock.
    CREATE INDEX deliveries_runnable ON deliveries (next_attempt_at, id) WHERE status = 'pending';
    -- The reaper's: leases that may have expired (a few rows per running worker).
    CREATE INDEX deliveries_leased ON deliveries (lease_expires_at) WHERE status = 'processing';
    -- Keyset pages newest first, alone or under one equality filter.
    CREATE INDEX deliveries_by_received_at ON deliveries (received_at, id);
    CREATE INDEX deliveries_by_status ON deliveries (status, received_at, id);
    CREATE INDEX deliveries_by_source ON deliveries (source, received_at, id);
    CREATE INDEX deliveries_by_event_type ON deliveries (event_type, received_at, id);
    CREATE INDEX deliveries_by_entity_uid ON deliveries (entity_uid) WHERE entity_uid IS NOT NULL;
    CREATE INDEX deliveries_by_key ON deliveries (idempotency_key) WHERE idempotency_key IS NOT NULL;

    CREATE TABLE attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
      number integer NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('receipt', 'retry', 'replay')),
      worker text NOT NULL,
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      outcome text CHECK (outcome IN ('succeeded', 'failed', 'abandoned', 'skipped')),
      error text
    );
    CREATE INDEX attempts_by_delivery ON attempts (delivery_id, number);

    CREATE TABLE conversation_snapshots (
      uid text PRIMARY KEY,
      last_changed timestamptz NOT NULL,
      conversation json NOT NULL,
      origin text NOT NULL CHECK (origin IN ('payload', 'api')),
      delivery_id bigint REFERENCES deliveries (id) ON DELETE SET NULL,
      stored_at timestamptz NOT NULL
    );
    CREATE INDEX snapshots_by_delivery ON conversation_snapshots (delivery_id);

    CREATE TABLE rejections (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source text,
      method text NOT NULL,
      path text NOT NULL,
      status_code integer NOT NULL,
      code text NOT NULL,
      message text NOT NULL,
      headers json NOT NULL,
      body_excerpt bytea NOT NULL,
      body_bytes integer NOT NULL,
      received_at timestamptz NOT NULL
    );
    CREATE INDEX rejections_by_received_at ON rejections (received_at);

    CREATE TABLE health (id integer PRIMARY KEY CHECK (id = 1), checked_at timestamptz NOT NULL);
  `,
};
