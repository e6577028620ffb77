import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryFilter } from "../../../src/inbox/inspect-store.ts";
import { WORK_QUEUE_READS } from "../../../src/inbox/sqlite/create-sqlite-work-queue.ts";
import { type Db, openDatabase } from "../../../src/inbox/sqlite/open-database.ts";
import { ARRIVAL_READS } from "../../../src/inbox/sqlite/sqlite-arrivals.ts";
import {
  deliveryPageSql,
  newDeliveriesSql,
  WINDOW_END_SQL,
} from "../../../src/inbox/sqlite/sqlite-delivery-lists.ts";
import { intervalCountSql } from "../../../src/inbox/sqlite/sqlite-interval-counts.ts";
import { replayBatchSql } from "../../../src/inbox/sqlite/sqlite-replay.ts";
import { searchCountSql, statusCountSql } from "../../../src/inbox/sqlite/sqlite-status-counts.ts";
import { seedDeliveries } from "../../helpers/seed-deliveries.ts";

/**
 * The reads that run on every claim, poll and page view must cost the same at 1,000 or 1,000,000
 * rows: SQLite's plan says so without timing anything. Each must be a SEARCH of the index meant
 * for it, never a SCAN of the table, an OR of several indexes or a sort into a temp B-tree.
 */
let dir: string;
let db: Db;

function planOf(sql: string, params: Record<string, unknown> = {}): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
  return rows.map((row) => row.detail).join("\n");
}

function expectIndexSearch(plan: string, index: string | RegExp): void {
  const name = typeof index === "string" ? index : index.source;
  expect(plan).toMatch(new RegExp(`SEARCH deliveries USING (COVERING )?INDEX ${name} \\(`));
  // The event type index ends in the source after the time: rows of one millisecond are
  // sorted by id among themselves, streaming (LIMIT stops it); never a sort of the whole range.
  const sorted = plan.replace("USE TEMP B-TREE FOR LAST TERM OF ORDER BY", "");
  expect(sorted).not.toMatch(/TEMP B-TREE|SCAN deliveries|MULTI-INDEX/);
}

const T = Date.now();
const SINCE = new Date(T - 3_600_000);
const UNTIL = new Date(T);
/** Every combination of the filters the page offers but search, and the index meant for it. */
const FILTER_SHAPES: [string, DeliveryFilter, RegExp][] = [
  ["no filter", {}, /deliveries_by_status/],
  ["source", { source: "credo" }, /deliveries_by_status_source/],
  ["event type", { eventType: "use_case_review_comment" }, /deliveries_by_status_event_type/],
  ["time range", { since: SINCE, until: UNTIL }, /deliveries_by_status/],
  ["source and time", { source: "credo", since: SINCE }, /deliveries_by_status_source/],
  ["event type and time", { eventType: "x", until: UNTIL }, /deliveries_by_status_event_type/],
  [
    "source, event type and time",
    { source: "credo", eventType: "x", since: SINCE },
    /deliveries_by_status_(source|event_type)/,
  ],
];

/** Named parameters of a filter's SQL plus the statement's own, for EXPLAIN. */
function planOfFilter(built: { sql: string; params: Record<string, unknown> }, extra = {}) {
  return planOf(built.sql, { ...built.params, status: "done", ...extra });
}

/**
 * As shipped: the inbox never runs ANALYZE. The index each of these reads is named in the SQL
 * (INDEXED BY); with STAT4 statistics SQLite may still read a named index by skip-scan.
 */
describe("inspect query plans", () => {
  it.each(FILTER_SHAPES)(
    "counts each status of a %s filter as one capped index range",
    (_, filter, index) => {
      expectIndexSearch(planOfFilter(statusCountSql(filter), { capPlusOne: 10_001 }), index);
    },
  );

  it.each(FILTER_SHAPES)(
    "reads a page of a %s filter, per status, from an index in its order",
    (_, filter, index) => {
      const first = deliveryPageSql({ ...filter, status: "done" }, false);
      expectIndexSearch(planOfFilter(first, { limit: 51 }), index);
      const older = deliveryPageSql({ ...filter, status: "done" }, true);
      expectIndexSearch(planOfFilter(older, { limit: 51, beforeMs: T, beforeId: 9 }), index);
    },
  );

  it.each(FILTER_SHAPES)(
    "replays a %s filter batch by batch along an index",
    (_, filter, index) => {
      const batch = replayBatchSql({ ...filter, status: "done" });
      const params = { maxId: 9, afterMs: 0, afterId: 0, limit: 1000 };
      expectIndexSearch(planOfFilter(batch, params), index);
    },
  );

  it.each(FILTER_SHAPES)(
    "counts the chart of a %s filter, per status, as one capped index range newest first",
    (_, filter, index) => {
      const chart = intervalCountSql({ ...filter, since: SINCE, until: UNTIL });
      const plan = planOfFilter(chart, { capPlusOne: 20_001 });
      expectIndexSearch(plan, index);
      // Without a source or event type the index alone answers: no row is read.
      if (!filter.source && !filter.eventType) expect(plan).toContain("COVERING INDEX");
    },
  );

  it("reads a delivery's arrivals from their index, capped, for a page and for one delivery", () => {
    const index = /SEARCH delivery_arrivals USING COVERING INDEX delivery_arrivals_by_delivery \(/;
    const counts = planOf(ARRIVAL_READS.counts, { ids: "[1,2]", cap: 999 });
    expect(counts).toMatch(index);
    expect(counts).not.toMatch(/SCAN delivery_arrivals/);
    expect(planOf(ARRIVAL_READS.count, { id: 1, cap: 999 })).toMatch(index);
    const newest = planOf(ARRIVAL_READS.newest, { id: 1, limit: 99 });
    expect(newest).toMatch(/SEARCH delivery_arrivals USING INDEX delivery_arrivals_by_delivery \(/);
    // The inner ORDER BY id DESC follows the index (it ends in the rowid): no sort of every arrival.
    expect(newest.split("\n").filter((line) => line.includes("TEMP B-TREE"))).toHaveLength(1);
  });

  it("searches through the key and entity indexes, never the whole table", () => {
    const count = planOfFilter(searchCountSql({ search: "conv-1" }), { capPlusOne: 10_001 });
    expect(count).toContain("INDEX deliveries_by_idempotency_key");
    expect(count).toContain("INDEX deliveries_by_entity_uid");
    expect(count).not.toMatch(/SCAN deliveries/);
  });

  it("reads a live view's newer rows by id, whatever the filter", () => {
    for (const [, filter] of FILTER_SHAPES) {
      const plan = planOfFilter(newDeliveriesSql({ ...filter, status: "done", search: "a" }), {
        afterId: 1,
        throughId: 9,
        limit: 100,
      });
      expect(plan).toBe("SEARCH deliveries USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)");
    }
    const windowEnd = planOf(WINDOW_END_SQL, { afterId: 1, window: 9 });
    expect(windowEnd).toContain("SEARCH deliveries USING INTEGER PRIMARY KEY (rowid>?)");
    expect(windowEnd).not.toMatch(/TEMP B-TREE|SCAN deliveries/);
  });
});

/** Claim plans with no statistics (as shipped) and after ANALYZE has seen a large backlog. */
const WITH_AND_WITHOUT_STATISTICS = [false, true];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "query-plans-"));
  db = openDatabase(path.join(dir, "inbox.db"));
  const now = Date.now();
  seedDeliveries(db, [
    ...Array.from({ length: 4_000 }, (_, i) => ({ status: "done", receivedAtMs: now - i })),
    ...Array.from({ length: 1_000 }, () => ({ status: "pending" })),
    ...Array.from({ length: 8 }, () => ({ status: "processing" })),
  ]);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(WITH_AND_WITHOUT_STATISTICS)("claim query plans (ANALYZE run: %s)", (analyzed) => {
  beforeAll(() => {
    if (analyzed) db.exec("ANALYZE");
  });

  it("claims the next due delivery from the due index, in its order", () => {
    const plan = planOf(WORK_QUEUE_READS.nextDuePending, { nowMs: Date.now() });
    expectIndexSearch(plan, "deliveries_due");
  });

  it("finds an expired lease from the lease index, in its order", () => {
    const plan = planOf(WORK_QUEUE_READS.nextExpiredLease, { nowMs: Date.now() });
    expectIndexSearch(plan, "deliveries_leased");
  });

  it("reads when the next retry is due from one end of the due index", () => {
    expectIndexSearch(planOf(WORK_QUEUE_READS.nextDue), "deliveries_due");
  });

  it("reads the oldest due delivery for /metrics from one end of two ranges of the due index", () => {
    const nowMs = Date.now();
    expectIndexSearch(planOf(WORK_QUEUE_READS.oldestDueRetry, { nowMs }), "deliveries_due");
    expectIndexSearch(planOf(WORK_QUEUE_READS.oldestNeverAttempted), "deliveries_due");
  });
});
