import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Stores } from "../../../src/inbox/stores.ts";
import type { Claim, WorkQueue } from "../../../src/inbox/work-queue.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";
import { newDelivery } from "./seed-through-stores.ts";

/** Short enough to expire within a test; the queue may read the clock of its database. */
const SHORT_LEASE_MS = 150;
const LONG_LEASE_MS = 60_000;

describe.each(STORE_KINDS)("the work queue on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
  });
  afterEach(() => test.destroy());

  const record = async () => (await stores.inbox.recordDelivery(newDelivery())).id;
  const claim = (queue: WorkQueue, worker: string, leaseMs = LONG_LEASE_MS, maxAttempts = 8) =>
    queue.claimNext(worker, leaseMs, new Date(), maxAttempts);
  const detail = async (id: number) => {
    const found = await stores.inspect.getDelivery(id);
    if (!found) throw new Error(`no delivery ${id}`);
    return found;
  };
  const mustClaim = async (...args: Parameters<typeof claim>): Promise<Claim> => {
    const claimed = await claim(...args);
    if (!claimed) throw new Error("expected a claim");
    return claimed;
  };

  it("says how long the longest-waiting due delivery has waited: since receipt, or since its retry was due", async () => {
    expect(await stores.queue.oldestDueAgeMs(new Date())).toBe(0);
    await record();
    await sleep(300);
    const sinceReceipt = await stores.queue.oldestDueAgeMs(new Date());
    expect(sinceReceipt).toBeGreaterThanOrEqual(250);
    expect(sinceReceipt).toBeLessThan(60_000);

    // Failed, waiting for its retry: not due, so nothing waits.
    const claimed = await mustClaim(stores.queue, "w");
    const later = new Date(Date.now() + 60_000);
    await stores.queue.finish(claimed, { kind: "failed", error: "x", retryAt: later }, new Date());
    expect(await stores.queue.oldestDueAgeMs(new Date())).toBe(0);

    // A retry due in 200 ms that no worker claims counts from its due time, not from receipt.
    const recordedAt = Date.now();
    const again = await record();
    const next = await mustClaim(stores.queue, "w");
    expect(next.delivery.id).toBe(again);
    await sleep(1_500);
    const dueSoon = new Date(Date.now() + 200);
    await stores.queue.finish(next, { kind: "failed", error: "x", retryAt: dueSoon }, new Date());
    await sleep(500);
    const sinceDue = await stores.queue.oldestDueAgeMs(new Date());
    expect(sinceDue).toBeGreaterThanOrEqual(250);
    // Not the time since its receipt, which is at least 1.5 s longer.
    expect(sinceDue).toBeLessThan(Date.now() - recordedAt - 1_000);
  });

  it("leases the oldest runnable delivery once and opens an attempt for it", async () => {
    const first = await record();
    const second = await record();
    const a = await mustClaim(stores.queue, "a");
    const b = await mustClaim(stores.queue, "b");
    expect([a.delivery.id, b.delivery.id]).toEqual([first, second]);
    expect(a).toMatchObject({ attemptNumber: 1, attemptsThisRun: 1, trigger: "receipt" });
    expect(await claim(stores.queue, "c")).toBeUndefined();
    expect((await detail(first)).delivery.status).toBe("processing");
    expect((await detail(first)).attempts).toMatchObject([
      { number: 1, trigger: "receipt", worker: "a", outcome: null, endedAt: null },
    ]);
  });

  it("settles outcomes: done, a retry that waits for its time, dead, skipped", async () => {
    const [done, retried, dead, skipped] = [
      await record(),
      await record(),
      await record(),
      await record(),
    ];
    const now = new Date();
    const claims = [];
    for (let i = 0; i < 4; i++) claims.push(await mustClaim(stores.queue, "w"));
    const [c1, c2, c3, c4] = claims as [Claim, Claim, Claim, Claim];
    await stores.queue.finish(c1, { kind: "succeeded" }, now);
    const retryAt = new Date(now.getTime() + LONG_LEASE_MS);
    await stores.queue.finish(c2, { kind: "failed", error: "CRM down", retryAt }, now);
    await stores.queue.finish(c3, { kind: "failed", error: "gave up", retryAt: null }, now);
    await stores.queue.finish(
      c4,
      {
        kind: "skipped",
        status: "invalid",
        eventType: "ConversationProcessed",
        issues: [{ path: "uid", message: "Required" }],
        reason: "fails today's schema",
      },
      now,
    );
    expect((await detail(done)).delivery).toMatchObject({ status: "done", lastError: null });
    expect((await detail(done)).delivery.processedAt).toBeInstanceOf(Date);
    expect((await detail(retried)).delivery).toMatchObject({
      status: "pending",
      lastError: "CRM down",
    });
    expect((await detail(dead)).delivery).toMatchObject({ status: "dead", lastError: "gave up" });
    expect((await detail(skipped)).delivery).toMatchObject({
      status: "invalid",
      eventType: "ConversationProcessed",
      issues: [{ path: "uid", message: "Required" }],
    });
    expect((await detail(dead)).attempts).toMatchObject([{ outcome: "failed", error: "gave up" }]);
    // The retry waits about a minute (measured on the store's clock); nothing is runnable now.
    const due = await stores.queue.nextDueAt();
    expect(due).toBeInstanceOf(Date);
    expect((due?.getTime() ?? 0) - Date.now()).toBeGreaterThan(LONG_LEASE_MS / 2);
    expect(await claim(stores.queue, "w")).toBeUndefined();
  });

  it("gives a released delivery back at once, with the same trigger", async () => {
    const id = await record();
    const first = await mustClaim(stores.queue, "w");
    await stores.queue.release(first, "shutting down", new Date());
    expect((await detail(id)).delivery).toMatchObject({
      status: "pending",
      lastError: "shutting down",
    });
    const again = await mustClaim(stores.queue, "w");
    expect(again).toMatchObject({ trigger: "receipt", attemptNumber: 2, delivery: { id } });
    expect((await detail(id)).attempts.map((a) => a.outcome)).toEqual(["abandoned", null]);
  });

  it("lets a stalled worker neither renew nor settle a lease another worker took over", async () => {
    const id = await record();
    const other = await test.open();
    const first = await mustClaim(stores.queue, "a", SHORT_LEASE_MS);
    expect(await stores.queue.renewLease(first, SHORT_LEASE_MS, new Date())).toBe(true);
    // A stalls past its lease; B, on another connection, takes the delivery over.
    await sleep(SHORT_LEASE_MS * 2);
    const second = await eventuallyClaim(other.queue, "b", LONG_LEASE_MS);
    expect(second.delivery.id).toBe(id);
    expect(await stores.queue.renewLease(first, SHORT_LEASE_MS, new Date())).toBe(false);
    await stores.queue.finish(first, { kind: "succeeded" }, new Date());
    await stores.queue.release(first, "late", new Date());
    expect((await detail(id)).delivery.status).toBe("processing");
    await other.queue.finish(second, { kind: "succeeded" }, new Date());
    expect((await detail(id)).delivery.status).toBe("done");
    expect((await detail(id)).attempts.map((a) => [a.worker, a.outcome])).toEqual([
      ["a", "abandoned"],
      ["b", "succeeded"],
    ]);
  });

  it("keeps a renewed lease alive past its first expiry", async () => {
    await record();
    const held = await mustClaim(stores.queue, "a", SHORT_LEASE_MS * 2);
    for (let i = 0; i < 4; i++) {
      await sleep(SHORT_LEASE_MS / 2);
      expect(await stores.queue.renewLease(held, SHORT_LEASE_MS * 2, new Date())).toBe(true);
    }
    expect(await claim(stores.queue, "b")).toBeUndefined();
  });

  it("marks dead a delivery whose every attempt ended with its process gone, instead of crash-looping", async () => {
    const id = await record();
    await mustClaim(stores.queue, "doomed-1", SHORT_LEASE_MS, 2);
    await sleep(SHORT_LEASE_MS * 2);
    await eventuallyClaim(stores.queue, "doomed-2", SHORT_LEASE_MS, 2);
    // Both processes died mid-handler; the second lease expires too.
    await sleep(SHORT_LEASE_MS * 2);
    await expect
      .poll(async () => {
        await claim(stores.queue, "next", SHORT_LEASE_MS, 2);
        return (await detail(id)).delivery.status;
      })
      .toBe("dead");
    expect((await detail(id)).delivery.lastError).toContain("ended with the worker's process gone");
    expect((await detail(id)).attempts.map((a) => a.outcome)).toEqual(["abandoned", "abandoned"]);
  });

  it("gives a replayed delivery a fresh budget of attempts", async () => {
    const id = await record();
    const first = await mustClaim(stores.queue, "w", LONG_LEASE_MS, 1);
    await stores.queue.finish(
      first,
      { kind: "failed", error: "CRM down", retryAt: null },
      new Date(),
    );
    expect((await detail(id)).delivery.status).toBe("dead");
    await stores.inspect.replay(id, new Date());
    const replayed = await claim(stores.queue, "w", LONG_LEASE_MS, 1);
    expect(replayed).toMatchObject({ attemptNumber: 2, attemptsThisRun: 1, trigger: "replay" });
  });

  it("wakes subscribers soon after new pending work is committed, from another connection too", async () => {
    const other = await test.open();
    let woken = 0;
    const unsubscribe = stores.queue.onNewWork(() => woken++);
    await sleep(50); // Let a listening connection (if any) start.
    woken = 0;
    await other.inbox.recordDelivery(newDelivery());
    if (kind === "postgres") await expect.poll(() => woken).toBeGreaterThan(0);
    woken = 0;
    await stores.inbox.recordDelivery(newDelivery());
    await expect.poll(() => woken).toBeGreaterThan(0);
    unsubscribe();
  });

  it("never leases one delivery to two workers at once, with four racing on four connections", async () => {
    const deliveries = 120;
    for (let i = 0; i < deliveries; i++) await record();
    const queues = [
      stores.queue,
      ...(await Promise.all([1, 2, 3].map(() => test.open()))).map((s) => s.queue),
    ];
    const holding = new Set<number>();
    const claimed: number[] = [];
    let overlaps = 0;
    await Promise.all(
      queues.map(async (queue, index) => {
        for (;;) {
          const held = await claim(queue, `w${index}`);
          if (!held) return;
          if (holding.has(held.delivery.id)) overlaps++;
          holding.add(held.delivery.id);
          claimed.push(held.delivery.id);
          await sleep(Math.random() * 3);
          holding.delete(held.delivery.id);
          await queue.finish(held, { kind: "succeeded" }, new Date());
        }
      }),
    );
    expect(overlaps).toBe(0);
    expect(claimed).toHaveLength(deliveries);
    expect(new Set(claimed).size).toBe(deliveries);
    expect((await stores.inspect.countByStatus({})).counts.done).toBe(deliveries);
  });
});

/** Claims once the store sees the lease as expired (its clock, its reaper's pace). */
async function eventuallyClaim(queue: WorkQueue, worker: string, leaseMs: number, maxAttempts = 8) {
  for (let tries = 0; tries < 200; tries++) {
    const claimed = await queue.claimNext(worker, leaseMs, new Date(), maxAttempts);
    if (claimed) return claimed;
    await sleep(20);
  }
  throw new Error("the expired lease was never taken over");
}
