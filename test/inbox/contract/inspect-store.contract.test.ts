import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Cursor, DeliveryFilter, InspectStore } from "../../../src/inbox/inspect-store.ts";
import type { Stores } from "../../../src/inbox/stores.ts";
import { capturiFixtures } from "../../fixtures/index.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";
import { seedDeliveries } from "./seed-through-stores.ts";

const DAY_MS = 86_400_000;
const NOW = new Date("2025-06-01T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe.each(STORE_KINDS)("the inspect store on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  let store: InspectStore;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
    store = stores.inspect;
  });
  afterEach(() => test.destroy());

  const ids = async (filter: DeliveryFilter) =>
    (await store.listDeliveries(filter)).deliveries.map((delivery) => delivery.id);

  describe("listing deliveries", () => {
    it("walks every row exactly once, newest first, across keyset pages (ties on the same millisecond included)", async () => {
      // Out of id order on purpose, with many rows sharing a millisecond.
      const times = Array.from({ length: 237 }, (_, i) => ago(DAY_MS - ((i * 37) % 60) * 1000));
      const seeded = await seedDeliveries(
        stores,
        times.map((receivedAt) => ({ receivedAt, status: "unhandled" })),
      );
      const expected = seeded
        .map((id, i) => ({ id, at: times[i]?.getTime() ?? 0 }))
        .sort((a, b) => b.at - a.at || b.id - a.id)
        .map((row) => row.id);

      const seen: number[] = [];
      let before: Cursor | undefined;
      let pages = 0;
      do {
        const page = await store.listDeliveries({}, { limit: 50, ...(before ? { before } : {}) });
        seen.push(...page.deliveries.map((delivery) => delivery.id));
        before = page.nextCursor;
        pages++;
      } while (before);
      expect(pages).toBe(5);
      expect(seen).toEqual(expected);
    });

    it("filters by source, event type, status, time range and search, and combines them", async () => {
      const [a, b, c, d] = await seedDeliveries(stores, [
        {
          source: "capturi",
          status: "done",
          receivedAt: ago(3 * DAY_MS),
          idempotencyKey: "evt-aaa-1",
          entityUid: "conv-111",
        },
        {
          source: "credo",
          eventType: "use_case_review_comment",
          status: "dead",
          receivedAt: ago(2 * DAY_MS),
          idempotencyKey: "msg_bbb",
          entityUid: "uc-222",
        },
        {
          source: "capturi",
          eventType: "LiveSummaryMessage",
          status: "invalid",
          receivedAt: ago(DAY_MS),
          idempotencyKey: "evt-ccc",
          entityUid: "conv-333",
        },
        {
          source: "capturi",
          status: "pending",
          receivedAt: NOW,
          idempotencyKey: "evt-aaa-2",
          entityUid: "conv-111",
        },
      ]);
      expect(await ids({})).toEqual([d, c, b, a]);
      expect(await ids({ source: "credo" })).toEqual([b]);
      expect(await ids({ eventType: "ConversationProcessed" })).toEqual([d, a]);
      expect(await ids({ status: "invalid" })).toEqual([c]);
      expect(await ids({ since: ago(2 * DAY_MS), until: NOW })).toEqual([c, b]);
      expect(await ids({ search: "evt-aaa" })).toEqual([d, a]);
      expect(await ids({ search: "conv-3" })).toEqual([c]);
      expect(await ids({ search: String(b) })).toEqual([b]);
      expect(await ids({ search: "nothing-like-it" })).toEqual([]);
      expect(await ids({ source: "capturi", status: "done", search: "conv-111" })).toEqual([a]);
    });

    it("searches by byte prefix whatever the database's collation: case, punctuation and accents count", async () => {
      const [lower, upper, dash, plain, accented, emoji] = await seedDeliveries(
        stores,
        ["evt-a1", "EVT-A2", "evt-b", "evtb", "évt-1", "evt-😀"].map((key, i) => ({
          idempotencyKey: key,
          entityUid: `uid-${i}`,
          receivedAt: ago(i * 1000),
          status: "unhandled" as const,
        })),
      );
      expect(await ids({ search: "evt-" })).toEqual([lower, dash, emoji]);
      expect(await ids({ search: "EVT" })).toEqual([upper]);
      expect(await ids({ search: "evtb" })).toEqual([plain]);
      expect(await ids({ search: "évt" })).toEqual([accented]);
      expect(await ids({ search: "evt-😀" })).toEqual([emoji]);
    });

    it("lists only what is newer than an id, oldest first, for the live view", async () => {
      const [first = 0, second, third] = await seedDeliveries(stores, [
        {},
        { source: "credo" },
        {},
      ]);
      expect((await store.listNewDeliveries({}, first, 10)).deliveries.map((r) => r.id)).toEqual([
        second,
        third,
      ]);
      expect(
        (await store.listNewDeliveries({ source: "capturi" }, first, 10)).deliveries.map(
          (r) => r.id,
        ),
      ).toEqual([third]);
      expect(await store.getStatuses([first, 999_999])).toEqual([
        { id: first, status: "done", attemptCount: 1, lastError: null },
      ]);
    });

    it("counts by status under the other filters, with every status present", async () => {
      await seedDeliveries(stores, [
        { status: "done" },
        { status: "done" },
        { status: "dead", source: "credo" },
        { status: "malformed", idempotencyKey: null },
      ]);
      expect(await store.countByStatus({ status: "dead" })).toEqual({
        counts: {
          pending: 0,
          processing: 0,
          done: 2,
          dead: 1,
          unhandled: 0,
          invalid: 0,
          malformed: 1,
        },
        capped: [],
      });
      expect((await store.countByStatus({ source: "credo" })).counts.dead).toBe(1);
      expect((await store.countByStatus({ source: "credo" })).counts.done).toBe(0);
    });

    it("keeps the newest rejections first, paged by id", async () => {
      for (let i = 0; i < 5; i++) {
        await stores.inbox.recordRejection({
          source: "credo",
          method: "POST",
          path: "/webhooks/credo",
          statusCode: 401,
          code: "signature_mismatch",
          message: `no ${i}`,
          headers: { "svix-id": `msg_${i}` },
          bodyExcerpt: Buffer.from(`body ${i}`),
          bodyBytes: 6,
          receivedAt: ago(1000 - i),
        });
      }
      const firstPage = await store.listRejections({ limit: 3 });
      expect(firstPage.map((r) => r.message)).toEqual(["no 4", "no 3", "no 2"]);
      const next = await store.listRejections({ limit: 3, beforeId: firstPage.at(-1)?.id ?? 0 });
      expect(next.map((r) => r.message)).toEqual(["no 1", "no 0"]);
      expect(next[0]).toMatchObject({ headers: { "svix-id": "msg_1" }, statusCode: 401 });
      expect(next[0]?.bodyExcerpt.toString()).toBe("body 1");
    });
  });

  describe("replay", () => {
    it("puts a settled delivery back to pending with trigger replay, keeping its authentication", async () => {
      const [id = 0] = await seedDeliveries(stores, [
        {
          status: "invalid",
          issues: [{ path: "uid", message: "Required" }],
          authMethod: "standard-webhooks",
        },
      ]);
      expect(await store.replay(id, new Date())).toEqual({
        ok: true,
        id,
        previousStatus: "invalid",
      });
      const detail = await store.getDelivery(id);
      expect(detail?.delivery).toMatchObject({
        status: "pending",
        issues: null,
        authMethod: "standard-webhooks",
        authKey: "#1 abcd1234",
      });
      expect(detail?.delivery.nextAttemptAt).toBeInstanceOf(Date);
      const claim = await stores.queue.claimNext("w", 60_000, new Date(), 3);
      expect(claim).toMatchObject({ trigger: "replay", delivery: { id } });
    });

    it("refuses malformed, pending and processing deliveries and says why, and unknown ids", async () => {
      const [malformed = 0, pending = 0, processing = 0] = await seedDeliveries(stores, [
        { status: "malformed", idempotencyKey: null },
        { status: "pending" },
        { status: "processing" },
      ]);
      const refused = await store.replay(malformed, NOW);
      expect(refused).toMatchObject({ ok: false, code: "not_replayable" });
      expect(refused.ok ? "" : refused.reason).toMatch(/not JSON/);
      expect(await store.replay(pending, NOW)).toMatchObject({ ok: false, code: "not_replayable" });
      expect(await store.replay(processing, NOW)).toMatchObject({
        ok: false,
        code: "not_replayable",
      });
      expect(await store.replay(424_242, NOW)).toMatchObject({ ok: false, code: "not_found" });
      expect((await store.getDelivery(malformed))?.delivery.status).toBe("malformed");
      expect((await store.getDelivery(malformed))?.replayable).toMatchObject({ ok: false });
    });

    it("replays what matches the filters and counts what it left alone", async () => {
      const [recentDead, recentDone, , , oldDead] = await seedDeliveries(stores, [
        { status: "dead", receivedAt: ago(1000) },
        { status: "done", receivedAt: ago(2000) },
        { status: "malformed", idempotencyKey: null, receivedAt: ago(3000) },
        { status: "pending", receivedAt: ago(4000) },
        { status: "dead", receivedAt: ago(10 * DAY_MS) },
      ]);
      const result = await store.replayMatching({ since: ago(DAY_MS) }, new Date());
      expect(result).toEqual({ replayed: 2, skipped: { malformed: 1, pending: 1 } });
      const claimed = [
        await stores.queue.claimNext("w", 60_000, new Date(), 3),
        await stores.queue.claimNext("w", 60_000, new Date(), 3),
      ];
      expect(claimed.map((claim) => claim?.trigger)).toEqual(["replay", "replay"]);
      expect(claimed.map((claim) => claim?.delivery.id).sort()).toEqual(
        [recentDead, recentDone].sort(),
      );
      expect((await store.getDelivery(oldDead ?? 0))?.delivery.status).toBe("dead");
    });

    it("wakes this process's workers when it puts work back", async () => {
      const [id = 0] = await seedDeliveries(stores, [{ status: "dead" }]);
      let woken = 0;
      const unsubscribe = stores.queue.onNewWork(() => woken++);
      await store.replay(id, new Date());
      await expect.poll(() => woken).toBeGreaterThan(0);
      unsubscribe();
    });
  });

  describe("prune", () => {
    it("deletes old settled deliveries with their attempts, unreferenced snapshots and old rejections; keeps the rest", async () => {
      const now = new Date();
      const earlier = (ms: number) => new Date(now.getTime() - ms);
      const [oldDone = 0, oldPending = 0, fresh = 0, oldShared = 0] = await seedDeliveries(stores, [
        { status: "done", receivedAt: earlier(10 * DAY_MS), entityUid: "conv-only-old" },
        { status: "pending", receivedAt: earlier(10 * DAY_MS), entityUid: "conv-pending" },
        { status: "done", receivedAt: earlier(DAY_MS), entityUid: "conv-shared" },
        { status: "dead", receivedAt: earlier(9 * DAY_MS), entityUid: "conv-shared" },
      ]);
      const snapshot = (uid: string, deliveryId: number, storedAt: Date) =>
        stores.snapshots.save({
          uid,
          lastChanged: null,
          conversation: {},
          origin: "payload",
          deliveryId,
          storedAt,
        });
      await snapshot("conv-only-old", oldDone, earlier(10 * DAY_MS));
      await snapshot("conv-shared", oldShared, earlier(9 * DAY_MS));
      for (const receivedAt of [earlier(8 * DAY_MS), earlier(1000)]) {
        await stores.inbox.recordRejection({
          source: "credo",
          method: "POST",
          path: "/webhooks/credo",
          statusCode: 401,
          code: "signature_mismatch",
          message: "no",
          headers: {},
          bodyExcerpt: Buffer.alloc(0),
          bodyBytes: 0,
          receivedAt,
        });
      }
      const cutoff = earlier(7 * DAY_MS);
      const expected = { deliveries: 2, attempts: 2, snapshots: 1, rejections: 1 };

      expect(await store.prune(cutoff, { dryRun: true })).toMatchObject({
        ...expected,
        dryRun: true,
      });
      expect((await store.listDeliveries({})).deliveries).toHaveLength(4);

      expect(await store.prune(cutoff, { batchSize: 1 })).toMatchObject({
        ...expected,
        dryRun: false,
      });
      const remaining = (await store.listDeliveries({})).deliveries.map((d) => d.id).sort();
      expect(remaining).toEqual([oldPending, fresh].sort());
      expect(await store.getDelivery(oldDone)).toBeUndefined();
      expect((await store.getDelivery(fresh))?.attempts).toHaveLength(1);
      expect(await stores.snapshots.get("conv-only-old")).toBeUndefined();
      expect((await stores.snapshots.get("conv-shared"))?.deliveryId).toBeNull();
      expect(await store.listRejections()).toHaveLength(1);
    });
  });

  it("recovers an invalid delivery that today's schema accepts: handled, issues cleared, attempt recorded as replay", async () => {
    // Stored as invalid by an older schema; the body is valid for today's.
    const [id = 0] = await seedDeliveries(stores, [
      {
        status: "invalid",
        body: JSON.stringify(capturiFixtures.conversationProcessedFull),
        issues: [{ path: "entity.subject", message: "Expected number" }],
      },
    ]);
    expect((await store.replay(id, new Date())).ok).toBe(true);
    const claim = await stores.queue.claimNext("w", 60_000, new Date(), 3);
    if (!claim) throw new Error("expected the replayed delivery to be claimable");
    await stores.queue.finish(claim, { kind: "succeeded" }, new Date());
    const detail = await store.getDelivery(id);
    expect(detail?.delivery.status).toBe("done");
    expect(detail?.delivery.issues).toBeNull();
    expect(detail?.attempts.map((a) => [a.trigger, a.outcome])).toEqual([["replay", "succeeded"]]);
  });
});
