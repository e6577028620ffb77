import { inbox } from "./001-inbox.ts";
import { indexesByStatus } from "./002-indexes-by-status.ts";
import { requestIdsAndReadiness } from "./003-request-ids-and-readiness.ts";
import { arrivalsAndAnswers } from "./004-arrivals-and-answers.ts";
import type { PostgresMigration } from "./migration.ts";

/** Applied in order at start-up; `schema_migrations` records each one applied. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  inbox,
  indexesByStatus,
  requestIdsAndReadiness,
  arrivalsAndAnswers,
];
