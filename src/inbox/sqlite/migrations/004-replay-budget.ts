import type { Migration } from "./migration.ts";

/**
 * A replay starts a fresh budget of attempts: `attempts_before_replay` is the attempt count when
 * it was last replayed, so that `attempt_count - attempts_before_replay` is what this run used.
 */
export const replayBudget: Migration = {
  version: 4,
  name: "attempt budget per replay",
  sql: "ALTER TABLE deliveries ADD COLUMN attempts_before_replay INTEGER NOT NULL DEFAULT 0;",
};
