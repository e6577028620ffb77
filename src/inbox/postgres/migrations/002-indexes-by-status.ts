import type { PostgresMigration } from "./migration.ts";

/**
 * Counts are one capped index range per status (`COUNT_CAP`), so the inspect filters' indexes
 * lead with the status, as SQLite's migration 5 does: a count with a source or event type filter
 * reads at most `COUNT_CAP + 1` entries of one range. `deliveries_by_status` is the prefix of the
 * first and goes.
 */
export const indexesByStatus: PostgresMigration = {
  version: 2,
  name: "inspect indexes by status",
  sql: `
    CREATE INDEX deliveries_by_status_source ON deliveries (status, source, received_at, id);
    CREATE INDEX deliveries_by_status_event_type
      ON deliveries (status, event_type, received_at, id);
    DROP INDEX deliveries_by_status;
  `,
};
