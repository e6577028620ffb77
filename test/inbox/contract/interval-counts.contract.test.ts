import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryStatus } from "../../../src/inbox/inbox.ts";
import {
  CHART_ROW_CAP,
  type DeliveryFilter,
  type InspectStore,
  type IntervalCounts,
} from "../../../src/inbox/inspect-store.ts";
import type { Stores } from "../../../src/inbox/stores.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";
import { seedDeliveries, seedMany } from "./seed-through-stores.ts";

const HOUR_MS = 3_600_000;
const UNTIL = new Date("2025-06-01T12:00:00Z");
const SINCE = new Date(UNTIL.getTime() - 24 * HOUR_MS);
const ago = (ms: number) => new Date(UNTIL.getTime() - ms);
const DAY = { since: SINCE, until: UNTIL, buckets: 24 };

/** `{ bucket index: { status: n } }` for the buckets that hold anything. */
function nonEmpty(result: IntervalCounts): Record<number, Partial<Record<DeliveryStatus, number>>> {
  const out: Record<number, Partial<Record<DeliveryStatus, number>>> = {};
  result.buckets.forEach((bucket, index) => {
    const counts = Object.entries(bucket.counts).filter(([, n]) => n > 0);
    if (counts.length > 0) out[index] = Object.fromEntries(counts);
  });
  return out;
}

describe.each(STORE_KINDS)("deliveries per interval on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  let store: InspectStore;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
    store = stores.inspect;
  });
  afterEach(() => test.destroy());

  const count = (filter: DeliveryFilter) => store.countByInterval(filter, DAY);

  it("puts each delivery in the bucket of its receipt time, by status, and only those in range", async () => {
    await seedDeliveries(stores, [
      { status: "done", receivedAt: ago(30 * 60_000) },
      { status: "done", receivedAt: ago(31 * 60_000), eventType: "ConversationSummaryUpdated" },
      { status: "dead", receivedAt: ago(90 * 60_000), idempotencyKey: "evt-dead-1" },
      { status: "unhandled", receivedAt: ago(90 * 60_000 - 1), source: "credo" },
      // The range is [since, until): the first millisecond counts, the last does not.
      { status: "invalid", receivedAt: SINCE },
      { status: "unhandled", receivedAt: UNTIL },
      { status: "done", receivedAt: ago(25 * HOUR_MS) },
    ]);
    const all = await count({});
    expect(all.bucketMs).toBe(HOUR_MS);
    expect(all.capped).toBe(false);
    expect(all.buckets).toHaveLength(24);
    expect(all.buckets[0]?.startMs).toBe(SINCE.getTime());
    expect(all.buckets[23]?.startMs).toBe(UNTIL.getTime() - HOUR_MS);
    expect(nonEmpty(all)).toEqual({
      0: { invalid: 1 },
      22: { dead: 1, unhandled: 1 },
      23: { done: 2 },
    });
    // The filter's other fields apply; its own since and until are the range's.
    expect(nonEmpty(await count({ source: "credo" }))).toEqual({ 22: { unhandled: 1 } });
    expect(nonEmpty(await count({ status: "done" }))).toEqual({ 23: { done: 2 } });
    expect(nonEmpty(await count({ eventType: "ConversationSummaryUpdated" }))).toEqual({
      23: { done: 1 },
    });
    expect(nonEmpty(await count({ search: "evt-dead" }))).toEqual({ 22: { dead: 1 } });
    expect(nonEmpty(await count({ since: ago(HOUR_MS), until: ago(0) }))).toEqual(nonEmpty(all));
  });

  it("divides any range into the buckets asked for, and gives empty buckets for an empty inbox", async () => {
    const result = await store.countByInterval({}, { since: SINCE, until: UNTIL, buckets: 7 });
    expect(result.buckets).toHaveLength(7);
    expect(result.bucketMs * 7).toBeGreaterThanOrEqual(24 * HOUR_MS);
    expect(
      result.buckets.every((bucket) => Object.values(bucket.counts).every((n) => n === 0)),
    ).toBe(true);
  });

  it(`stops after ${CHART_ROW_CAP} rows of a range and says that the figures are floors`, async () => {
    await seedMany(stores, CHART_ROW_CAP + 1, { receivedAt: ago(HOUR_MS / 2) });
    await seedDeliveries(stores, [
      { status: "dead", receivedAt: ago(HOUR_MS / 2) },
      // Older than every capped row: a status filter still finds it along its own status.
      { status: "dead", receivedAt: ago(3 * HOUR_MS), idempotencyKey: "evt-dead-older" },
    ]);
    for (const filter of [{}, { source: "capturi" }, { search: "key-" }]) {
      const result = await count(filter);
      expect(result.capped).toBe(true);
      const unhandled = result.buckets[23]?.counts.unhandled ?? 0;
      expect(unhandled).toBeGreaterThan(0);
      expect(unhandled).toBeLessThanOrEqual(CHART_ROW_CAP + 1);
    }
    // A filter that the capped rows do not match reads only its own.
    expect(await count({ source: "credo" })).toMatchObject({ capped: false });
    for (const filter of [{ status: "dead" }, { status: "dead", source: "capturi" }] as const) {
      expect(nonEmpty(await count(filter))).toEqual({ 21: { dead: 1 }, 23: { dead: 1 } });
      expect(await count(filter)).toMatchObject({ capped: false });
    }
  });
});
