import type { Migration } from "./migration.ts";

/**
 * Indexes in the order their queries read, and no more of them than those queries need: every
 * index is paid on every insert and on every status change (bench/README.md has the figures).
 * - The worker's claim and its "when is the next retry due" read one partial index each, in
 *   order, so that a claim costs the same with 1,000 or 1,000,000 pending.
 * - Inspect filters and counts lead with the status: a count is one index range scan per status
 *   (capped), and a list without a status filter merges one short range per status.
 * - The unique idempotency index leads with the key, so that it also serves the prefix search on
 *   event ids.
 * https://www.sqlite.org/queryplanner.html, https://www.sqlite.org/partialindex.html
 */
export const indexesByStatus: Migration = {
  version: 5,
  name: "indexes by status, due time and lease",
  sql: `
    DROP INDEX deliveries_runnable;
    -- The status leads although it is constant: the planner then prefers these to
    -- deliveries_by_status (status = ?, then a sort of every pending row).
    CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at_ms) WHERE status = 'pending';
    CREATE INDEX deliveries_leased ON deliveries (status, lease_expires_at_ms)
      WHERE status = 'processing';

    DROP INDEX deliveries_by_received_at;
    DROP INDEX deliveries_by_source;
    DROP INDEX deliveries_by_event_type;
    CREATE INDEX deliveries_by_status_source ON deliveries (status, source, received_at_ms);
    -- The source last: a filter on both is then counted from this index alone (every event
    -- type but one belongs to one source). Pages sort only rows of the same millisecond.
    CREATE INDEX deliveries_by_status_event_type
      ON deliveries (status, event_type, received_at_ms, source);

    DROP INDEX deliveries_by_key;
    DROP INDEX deliveries_by_idempotency_key;
    CREATE UNIQUE INDEX deliveries_by_idempotency_key
      ON deliveries (idempotency_key, source) WHERE idempotency_key IS NOT NULL;
  `,
};
