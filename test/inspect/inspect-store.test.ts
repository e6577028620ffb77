import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Cursor, DeliverySummary, InspectStore } from "../../src/inbox/inspect-store.ts";
import { createSqliteInspectStore } from "../../src/inbox/sqlite/create-sqlite-inspect-store.ts";
import { type Db, openDatabase } from "../../src/inbox/sqlite/open-database.ts";
import { capturiFixtures } from "../fixtures/index.ts";
import { createWorkerHarness, eventually } from "../helpers/create-worker-harness.ts";
import { addAttempt, seedDeliveries } from "../helpers/seed-deliveries.ts";
import { countRows } from "../helpers/stored.ts";

const DAY_MS = 86_400_000;
const NOW = new Date("2025-06-01T12:00:00Z");
let dir: string;
let databasePath: string;
let db: Db;
let store: InspectStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "inspect-store-"));
  databasePath = path.join(dir, "inbox.db");
  db = openDatabase(databasePath);
  store = createSqliteInspectStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function row(id: number) {
  return db.prepare("SELECT * FROM deliveries WHERE id = ?").get(id) as Record<string, unknown>;
}

describe("listing deliveries", () => {
  it("walks every row exactly once, newest first, across keyset pages (ties on the same millisecond included)", async () => {
    const base = NOW.getTime() - DAY_MS;
    // Out of id order on purpose, with many rows sharing a millisecond.
    seedDeliveries(
      db,
      Array.from({ length: 237 }, (_, i) => ({ receivedAtMs: base + ((i * 37) % 60) * 1000 })),
    );
    const expected = db
      .prepare("SELECT id FROM deliveries ORDER BY received_at_ms DESC, id DESC")
      .all()
      .map((r) => (r as { id: number }).id);

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
    const t = NOW.getTime();
    const [a, b, c, d] = seedDeliveries(db, [
      {
        source: "capturi",
        eventType: "ConversationProcessed",
        status: "done",
        receivedAtMs: t - 3 * DAY_MS,
        idempotencyKey: "evt-aaa-1",
        entityUid: "conv-111",
      },
      {
        source: "credo",
        eventType: "use_case_review_comment",
        status: "dead",
        receivedAtMs: t - 2 * DAY_MS,
        idempotencyKey: "msg_bbb",
        entityUid: "uc-222",
      },
      {
        source: "capturi",
        eventType: "LiveSummaryMessage",
        status: "invalid",
        receivedAtMs: t - DAY_MS,
        idempotencyKey: "evt-ccc",
        entityUid: "conv-333",
      },
      {
        source: "capturi",
        eventType: "ConversationProcessed",
        status: "pending",
        receivedAtMs: t,
        idempotencyKey: "evt-aaa-2",
        entityUid: "conv-111",
      },
    ]);
    const ids = async (filter: Parameters<InspectStore["listDeliveries"]>[0]) =>
      (await store.listDeliveries(filter)).deliveries.map(
        (delivery: DeliverySummary) => delivery.id,
      );

    expect(await ids({})).toEqual([d, c, b, a]);
    expect(await ids({ source: "credo" })).toEqual([b]);
    expect(await ids({ eventType: "ConversationProcessed" })).toEqual([d, a]);
    expect(await ids({ status: "invalid" })).toEqual([c]);
    expect(await ids({ since: new Date(t - 2 * DAY_MS), until: new Date(t) })).toEqual([c, b]);
    expect(await ids({ search: "evt-aaa" })).toEqual([d, a]);
    expect(await ids({ search: "conv-3" })).toEqual([c]);
    expect(await ids({ search: String(b) })).toEqual([b]);
    expect(await ids({ search: "nothing-like-it" })).toEqual([]);
    expect(await ids({ source: "capturi", status: "done", search: "conv-111" })).toEqual([a]);
  });

  it("lists only what is newer than an id, oldest first, for the live view", async () => {
    const [first, second, third] = seedDeliveries(db, [{}, { source: "credo" }, {}]);
    expect((await store.listNewDeliveries({}, first ?? 0, 10)).map((r) => r.id)).toEqual([
      second,
      third,
    ]);
    expect(
      (await store.listNewDeliveries({ source: "capturi" }, first ?? 0, 10)).map((r) => r.id),
    ).toEqual([third]);
    expect(await store.getStatuses([first ?? 0, 999])).toEqual([
      { id: first, status: "done", attemptCount: 0, lastError: null },
    ]);
  });

  it("counts by status under the other filters, with every status present", async () => {
    seedDeliveries(db, [
      { status: "done" },
      { status: "done" },
      { status: "dead", source: "credo" },
      { status: "malformed" },
    ]);
    expect(await store.countByStatus({ status: "dead" })).toEqual({
      pending: 0,
      processing: 0,
      done: 2,
      dead: 1,
      unhandled: 0,
      invalid: 0,
      malformed: 1,
    });
    expect((await store.countByStatus({ source: "credo" })).dead).toBe(1);
    expect((await store.countByStatus({ source: "credo" })).done).toBe(0);
  });
});

describe("replay", () => {
  it("puts a settled delivery back to pending with trigger replay, keeping its authentication", async () => {
    const [id = 0] = seedDeliveries(db, [
      {
        status: "invalid",
        issues: [{ path: "uid", message: "Required" }],
        authMethod: "standard-webhooks",
      },
    ]);
    expect(await store.replay(id, NOW)).toEqual({ ok: true, id, previousStatus: "invalid" });
    expect(row(id)).toMatchObject({
      status: "pending",
      next_trigger: "replay",
      next_attempt_at_ms: NOW.getTime(),
      issues: null,
      auth_method: "standard-webhooks",
      auth_key: "#1 abcd1234",
    });
  });

  it("refuses malformed, pending and processing deliveries and says why, and unknown ids", async () => {
    const [malformed = 0, pending = 0, processing = 0] = seedDeliveries(db, [
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
    expect(await store.replay(4242, NOW)).toMatchObject({ ok: false, code: "not_found" });
    expect(row(malformed).status).toBe("malformed");
    expect((await store.getDelivery(malformed))?.replayable).toMatchObject({ ok: false });
  });

  it("replays what matches the filters and counts what it left alone", async () => {
    const t = NOW.getTime();
    seedDeliveries(db, [
      { status: "dead", receivedAtMs: t - 1000 },
      { status: "done", receivedAtMs: t - 2000 },
      { status: "malformed", idempotencyKey: null, receivedAtMs: t - 3000 },
      { status: "pending", receivedAtMs: t - 4000 },
      { status: "dead", receivedAtMs: t - 10 * DAY_MS },
    ]);
    const result = await store.replayMatching({ since: new Date(t - DAY_MS) }, NOW);
    expect(result).toEqual({ replayed: 2, skipped: { malformed: 1, pending: 1 } });
    expect(countRows(db, "deliveries", "next_trigger = 'replay'")).toBe(2);
    expect(countRows(db, "deliveries", "status = 'dead'")).toBe(1);
  });

  it("recovers an invalid delivery that today's schema accepts: handled, issues cleared, attempt recorded as replay", async () => {
    // Stored as invalid by an older schema; the body is valid for today's.
    const [id = 0] = seedDeliveries(db, [
      {
        status: "invalid",
        eventType: "ConversationProcessed",
        body: JSON.stringify(capturiFixtures.conversationProcessedFull),
        issues: [{ path: "entity.subject", message: "Expected number" }],
      },
    ]);
    const handled: string[] = [];
    const harness = createWorkerHarness({
      databasePath,
      handlers: { capturi: { ConversationProcessed: (event) => void handled.push(event.uid) } },
    });
    try {
      expect((await store.replay(id, new Date())).ok).toBe(true);
      harness.worker.start();
      await eventually(() => row(id).status === "done");
    } finally {
      await harness.worker.stop(1_000);
      harness.close();
    }
    expect(handled).toEqual([capturiFixtures.conversationProcessedFull.entity.uid]);
    const detail = await store.getDelivery(id);
    expect(detail?.delivery.issues).toBeNull();
    expect(detail?.delivery.eventType).toBe("ConversationProcessed");
    expect(detail?.attempts.map((a) => [a.trigger, a.outcome])).toEqual([["replay", "succeeded"]]);
  });
});

describe("prune", () => {
  it("deletes old settled deliveries with their attempts, unreferenced snapshots and old rejections; keeps the rest", async () => {
    const t = NOW.getTime();
    const [oldDone = 0, oldPending = 0, fresh = 0, oldShared = 0] = seedDeliveries(db, [
      { status: "done", receivedAtMs: t - 10 * DAY_MS, entityUid: "conv-only-old" },
      { status: "pending", receivedAtMs: t - 10 * DAY_MS, entityUid: "conv-pending" },
      { status: "done", receivedAtMs: t - DAY_MS, entityUid: "conv-shared" },
      { status: "dead", receivedAtMs: t - 9 * DAY_MS, entityUid: "conv-shared" },
    ]);
    addAttempt(db, oldDone, 1);
    addAttempt(db, oldShared, 1, "failed");
    addAttempt(db, oldShared, 2, "failed");
    addAttempt(db, fresh, 1);
    const snapshot = db.prepare(
      `INSERT INTO conversation_snapshots (uid, last_changed_ms, conversation, origin, delivery_id, stored_at_ms)
       VALUES (?, 0, '{}', 'payload', ?, ?)`,
    );
    snapshot.run("conv-only-old", oldDone, t - 10 * DAY_MS);
    snapshot.run("conv-shared", oldShared, t - 9 * DAY_MS);
    const rejection = db.prepare(
      `INSERT INTO rejections (source, method, path, status_code, code, message, headers, body_excerpt, body_bytes, received_at_ms)
       VALUES ('credo', 'POST', '/webhooks/credo', 401, 'signature_mismatch', 'no', '{}', x'', 0, ?)`,
    );
    rejection.run(t - 8 * DAY_MS);
    rejection.run(t - 1000);
    const cutoff = new Date(t - 7 * DAY_MS);

    const planned = await store.prune(cutoff, { dryRun: true });
    expect(planned).toMatchObject({
      deliveries: 2,
      attempts: 3,
      snapshots: 1,
      rejections: 1,
      dryRun: true,
    });
    expect(countRows(db, "deliveries")).toBe(4);

    const pruned = await store.prune(cutoff, { batchSize: 1 });
    expect(pruned).toMatchObject({
      deliveries: 2,
      attempts: 3,
      snapshots: 1,
      rejections: 1,
      dryRun: false,
    });
    const remaining = db
      .prepare("SELECT id FROM deliveries ORDER BY id")
      .all()
      .map((r) => (r as { id: number }).id);
    expect(remaining).toEqual([oldPending, fresh]);
    expect(countRows(db, "attempts")).toBe(1);
    expect(db.prepare("SELECT uid, delivery_id FROM conversation_snapshots").all()).toEqual([
      { uid: "conv-shared", delivery_id: null },
    ]);
    expect(countRows(db, "rejections")).toBe(1);
  });
});
