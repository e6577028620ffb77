import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DELIVERY_STATUSES } from "../../../src/inbox/inbox.ts";
import {
  COUNT_CAP,
  type InspectStore,
  NEW_DELIVERIES_WINDOW,
} from "../../../src/inbox/inspect-store.ts";
import type { Stores } from "../../../src/inbox/stores.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";
import { seedDeliveries, seedMany } from "./seed-through-stores.ts";

const NOW = new Date("2025-06-01T12:00:00Z");

/** Reads whose cost must not grow with the table: capped counts, live-view windows, batched replays. */
describe.each(STORE_KINDS)("bounded reads on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  let store: InspectStore;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
    store = stores.inspect;
  });
  afterEach(() => test.destroy());

  it("stops counting a status at the cap and says that the figure is a floor", async () => {
    await seedMany(stores, COUNT_CAP + 1);
    await seedDeliveries(stores, [{ status: "dead", idempotencyKey: "other-1" }]);
    const counts = await store.countByStatus({});
    expect(counts.counts).toMatchObject({ unhandled: COUNT_CAP, dead: 1 });
    expect(counts.capped).toEqual(["unhandled"]);
    expect((await store.countByStatus({ source: "capturi" })).capped).toEqual(["unhandled"]);
    expect(await store.countByStatus({ search: "other-" })).toMatchObject({
      counts: { dead: 1, unhandled: 0 },
      capped: [],
    });
    // A search may count in one capped pass: past the cap, its figures are floors.
    const searched = await store.countByStatus({ search: "key-" });
    expect(searched.counts.unhandled).toBeGreaterThanOrEqual(Math.min(COUNT_CAP, 1));
    expect(searched.capped).toContain("unhandled");
    expect(DELIVERY_STATUSES).toEqual(expect.arrayContaining(searched.capped));
  });

  it("tells a live view how far it has looked, in a bounded stretch of newer rows", async () => {
    const [first = 0] = await seedDeliveries(stores, [{ source: "credo" }]);
    const others = await seedMany(stores, NEW_DELIVERIES_WINDOW + 5);
    const [match = 0] = await seedDeliveries(stores, [{ source: "credo" }]);
    expect((await store.listDeliveries({ source: "credo" })).newestId).toBe(match);

    const window = await store.listNewDeliveries({ source: "credo" }, first, 10);
    expect(window).toEqual({ deliveries: [], seenThroughId: others[NEW_DELIVERIES_WINDOW - 1] });
    const next = await store.listNewDeliveries({ source: "credo" }, window.seenThroughId, 10);
    expect(next.deliveries.map((delivery) => delivery.id)).toEqual([match]);
    expect(next.seenThroughId).toBe(match);
    // Capped by `limit`: the next poll goes on after the last row returned.
    const page = await store.listNewDeliveries({ source: "capturi" }, first, 1);
    expect(page.seenThroughId).toBe(page.deliveries[0]?.id);
  });

  it("replays many in batches, each of them once, and not what arrives meanwhile", async () => {
    const many = 2_007;
    await seedMany(stores, many);
    const replaying = store.replayMatching({ source: "capturi" }, NOW);
    await seedMany(stores, 1, { idempotencyKey: "arrived-meanwhile" });
    const result = await replaying;
    const after = await store.countByStatus({});
    // What arrived during the replay may or may not be counted as matching, never replayed twice.
    expect(result.replayed).toBeGreaterThanOrEqual(many);
    expect(result.replayed).toBeLessThanOrEqual(many + 1);
    expect(after.counts.pending).toBe(result.replayed);
    expect(after.counts.unhandled).toBe(many + 1 - result.replayed);
  });
});
