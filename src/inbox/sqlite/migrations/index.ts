import { deliveriesAndRejections } from "./001-deliveries-and-rejections.ts";
import { worker } from "./002-worker.ts";
import { inspectIndexes } from "./003-inspect-indexes.ts";
import { replayBudget } from "./004-replay-budget.ts";
import { indexesByStatus } from "./005-indexes-by-status.ts";
import { requestIdsAndReadiness } from "./006-request-ids-and-readiness.ts";
import { arrivalsAndAnswers } from "./007-arrivals-and-answers.ts";
import type { Migration } from "./migration.ts";

/**
 * Applied in order at start-up; `PRAGMA user_version` records the last one applied. One file per
 * migration, numbered, so that two changes never edit the same list entry.
 */
export const MIGRATIONS: readonly Migration[] = [
  deliveriesAndRejections,
  worker,
  inspectIndexes,
  replayBudget,
  indexesByStatus,
  requestIdsAndReadiness,
  arrivalsAndAnswers,
];
