import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Handlers } from "../../../src/handlers/define-handlers.ts";
import type { InspectStore } from "../../../src/inbox/inspect-store.ts";
import type { Stores } from "../../../src/inbox/stores.ts";
import { createWorkerHarness } from "../../helpers/create-worker-harness.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";
import { newDelivery, seedDeliveries } from "./seed-through-stores.ts";

const HOUR_MS = 3_600_000;
const POLL = { timeout: 10_000, interval: 20 };

describe.each(STORE_KINDS)("retry now on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  let store: InspectStore;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
    store = stores.inspect;
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await test.destroy();
  });

  const detail = async (id: number) => {
    const found = await store.getDelivery(id);
    if (!found) throw new Error(`no delivery ${id}`);
    return found;
  };

  it("makes a delivery that waits out its backoff due now, keeping its attempts, and wakes the worker", async () => {
    const [waiting = 0] = await seedDeliveries(stores, [{ status: "pending" }]);
    const before = await detail(waiting);
    expect(before.delivery.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now() + HOUR_MS / 2);
    expect(before.retryableNow).toEqual({ ok: true });
    let wakes = 0;
    const unsubscribe = stores.queue.onNewWork(() => {
      wakes += 1;
    });
    cleanups.push(async () => unsubscribe());

    const now = new Date();
    const outcome = await store.retryNow(waiting, now);
    expect(outcome).toMatchObject({ ok: true, id: waiting, attemptCount: 1 });
    const after = await detail(waiting);
    expect(after.delivery).toMatchObject({ status: "pending", attemptCount: 1 });
    expect(after.delivery.nextAttemptAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(after.retryableNow).toMatchObject({ ok: false });
    await expect.poll(() => wakes, POLL).toBeGreaterThan(0);

    // Claimed as a retry: its second attempt, not a fresh start.
    const claim = await stores.queue.claimNext("w", 60_000, new Date(), 5);
    expect(claim).toMatchObject({ delivery: { id: waiting }, attemptNumber: 2, trigger: "retry" });
  });

  it("refuses what does not wait for a retry, and says why; an unknown id is not_found", async () => {
    const [done = 0, dead = 0, unhandled = 0] = await seedDeliveries(stores, [
      { status: "done" },
      { status: "dead" },
      { status: "unhandled" },
    ]);
    // Recorded, never attempted: already due.
    const due = (await stores.inbox.recordDelivery(newDelivery())).id;
    const now = new Date();
    for (const id of [done, dead, unhandled, due]) {
      const outcome = await store.retryNow(id, now);
      expect(outcome).toMatchObject({ ok: false, id, code: "not_waiting" });
      expect(outcome.ok ? "" : outcome.reason).not.toBe("");
    }
    expect(await store.retryNow(due, now)).toMatchObject({
      reason: expect.stringContaining("already due"),
    });
    expect(await store.retryNow(dead, now)).toMatchObject({
      reason: expect.stringContaining("replay"),
    });
    expect((await detail(done)).retryableNow).toMatchObject({ ok: false });
    expect(await store.retryNow(999_999, now)).toEqual({
      ok: false,
      id: 999_999,
      code: "not_found",
      reason: "No delivery 999999.",
    });
  });

  it("lets a sleeping worker run the delivery at once: failed, waiting an hour, retried now, done", async () => {
    let calls = 0;
    const handlers: Handlers = {
      capturi: {
        async ConversationSummaryUpdated() {
          calls += 1;
          if (calls === 1) throw new Error("first attempt fails");
        },
      },
    };
    // The same stores as the inspect side, as in one receiver process; polls too rarely to matter.
    const harness = createWorkerHarness({
      stores,
      handlers,
      worker: { backoff: { baseDelayMs: HOUR_MS, maxDelayMs: HOUR_MS }, pollIntervalMs: 600_000 },
    });
    cleanups.push(() => harness.worker.stop(1_000));
    const body = JSON.stringify({
      eventUid: crypto.randomUUID(),
      event: "ConversationSummaryUpdated",
      uid: crypto.randomUUID(),
    });
    const { id } = await stores.inbox.recordDelivery(newDelivery({ body: Buffer.from(body) }));
    harness.worker.start();
    await expect.poll(async () => (await detail(id)).delivery.lastError, POLL).toContain("first");
    expect((await detail(id)).delivery.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());

    expect(await store.retryNow(id, new Date())).toMatchObject({ ok: true });
    await expect.poll(async () => (await detail(id)).delivery.status, POLL).toBe("done");
    expect(calls).toBe(2);
    expect((await detail(id)).attempts.map((attempt) => attempt.trigger)).toEqual([
      "receipt",
      "retry",
    ]);
  });
});
