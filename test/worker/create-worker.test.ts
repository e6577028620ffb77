import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Handlers } from "../../src/handlers/define-handlers.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { capturiFixtures, credoFixtures } from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { createWorkerHarness } from "../helpers/create-worker-harness.ts";
import { signCredo } from "../helpers/sign-credo.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../helpers/test-stores.ts";

const POLL = { timeout: 10_000, interval: 10 };

describe.each(STORE_KINDS)("the worker on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  let receiver: TestReceiver;
  const cleanups: (() => unknown)[] = [];
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
    receiver = createTestReceiver({ stores });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    receiver.close();
    await test.destroy();
  });

  /** A worker over its own connection to the same database, as a second process would have. */
  async function harness(
    handlers: Handlers,
    worker?: Parameters<typeof createWorkerHarness>[0]["worker"],
    own?: Stores,
  ) {
    const h = createWorkerHarness({
      stores: own ?? (await test.open()),
      handlers,
      ...(worker ? { worker } : {}),
    });
    cleanups.push(() => h.worker.stop(1_000));
    return h;
  }

  async function postCapturi(body: unknown): Promise<number> {
    const res = await receiver.request
      .post("/webhooks/capturi")
      .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
      .send(JSON.stringify(body));
    expect(res.status).toBe(200);
    return res.body.id;
  }

  function uidEvent(uid = crypto.randomUUID()) {
    return { eventUid: crypto.randomUUID(), event: "ConversationSummaryUpdated", uid };
  }

  async function status(id: number): Promise<string | undefined> {
    return (await stores.inspect.getDelivery(id))?.delivery.status;
  }

  async function attempts(id: number) {
    return ((await stores.inspect.getDelivery(id))?.attempts ?? []).map((a) => ({
      number: a.number,
      trigger: a.trigger,
      outcome: a.outcome,
      error: a.error,
    }));
  }

  it("runs the handler of the event type once, with the typed event, and marks it done", async () => {
    const seen: string[] = [];
    const { worker } = await harness({
      credo: { use_case_review_comment: (event) => void seen.push(event.data.comment) },
    });
    const body = JSON.stringify(credoFixtures.use_case_review_comment);
    const res = await receiver.request.post("/webhooks/credo").set(signCredo(body)).send(body);
    worker.start();
    await expect.poll(() => status(res.body.id), POLL).toBe("done");
    expect(seen).toEqual([credoFixtures.use_case_review_comment.data.comment]);
    expect(await attempts(res.body.id)).toEqual([
      { number: 1, trigger: "receipt", outcome: "succeeded", error: null },
    ]);
  });

  it("retries a failing handler with backoff, records every attempt, then marks it dead", async () => {
    let calls = 0;
    const { worker } = await harness(
      {
        capturi: {
          ConversationSummaryUpdated: () => {
            calls++;
            throw new Error(`CRM unavailable (call ${calls})`);
          },
        },
      },
      { maxAttempts: 3 },
    );
    const id = await postCapturi(uidEvent());
    worker.start();
    await expect.poll(() => status(id), POLL).toBe("dead");
    expect(calls).toBe(3);
    expect(await attempts(id)).toEqual([
      { number: 1, trigger: "receipt", outcome: "failed", error: "CRM unavailable (call 1)" },
      { number: 2, trigger: "retry", outcome: "failed", error: "CRM unavailable (call 2)" },
      { number: 3, trigger: "retry", outcome: "failed", error: "CRM unavailable (call 3)" },
    ]);
    expect((await stores.inspect.getDelivery(id))?.delivery.lastError).toBe(
      "CRM unavailable (call 3)",
    );
  });

  it("succeeds on a later attempt and stops retrying", async () => {
    let calls = 0;
    const { worker } = await harness({
      capturi: {
        ConversationSummaryUpdated: () => {
          if (++calls < 2) throw new Error("flaky");
        },
      },
    });
    const id = await postCapturi(uidEvent());
    worker.start();
    await expect.poll(() => status(id), POLL).toBe("done");
    expect((await attempts(id)).map((a) => a.outcome)).toEqual(["failed", "succeeded"]);
  });

  it("does not run unhandled or invalid deliveries, nor events without a handler", async () => {
    let calls = 0;
    const { worker } = await harness({ capturi: { ConversationProcessed: () => void calls++ } });
    const unhandled = await postCapturi({ event: "ConversationDeleted", uid: crypto.randomUUID() });
    const invalid = await postCapturi({ event: "ConversationProcessed", uid: "not-a-uid" });
    const noHandler = await postCapturi(uidEvent());
    worker.start();
    await expect.poll(() => status(noHandler), POLL).toBe("unhandled");
    expect([await status(unhandled), await status(invalid)]).toEqual(["unhandled", "invalid"]);
    expect(await attempts(unhandled)).toEqual([]);
    expect(await attempts(invalid)).toEqual([]);
    expect((await attempts(noHandler))[0]).toMatchObject({ outcome: "skipped" });
    expect(calls).toBe(0);
  });

  it("never runs one delivery twice at once, with two workers on two connections", async () => {
    const running = new Set<string>();
    const runs: string[] = [];
    let overlaps = 0;
    const handlers: Handlers = {
      capturi: {
        async ConversationSummaryUpdated(event) {
          if (running.has(event.uid)) overlaps++;
          running.add(event.uid);
          runs.push(event.uid);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
          running.delete(event.uid);
        },
      },
    };
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await postCapturi(uidEvent()));
    const first = await harness(handlers, { concurrency: 4, id: "first" });
    const second = await harness(handlers, { concurrency: 4, id: "second" });
    first.worker.start();
    second.worker.start();
    await expect
      .poll(async () => (await stores.inspect.countByStatus({})).counts.done, POLL)
      .toBe(40);
    expect(overlaps).toBe(0);
    expect(runs).toHaveLength(40);
    expect(new Set(runs).size).toBe(40);
    const workers = new Set<string>();
    for (const id of ids) {
      for (const attempt of (await stores.inspect.getDelivery(id))?.attempts ?? []) {
        workers.add(attempt.worker);
      }
    }
    expect([...workers].sort()).toEqual(["first", "second"]);
  });

  it("keeps trying while the inbox cannot be written, and catches up once it can", async () => {
    let calls = 0;
    const outage = await test.openWithOutage();
    const { worker } = await harness(
      { capturi: { ConversationSummaryUpdated: () => void calls++ } },
      undefined,
      outage.stores,
    );
    const id = await postCapturi(uidEvent());
    // The worker's own connection fails: every claim fails, as on a full disk or a lost database.
    outage.cut();
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await status(id)).toBe("pending");
    outage.restore();
    await expect.poll(() => status(id), POLL).toBe("done");
    expect(calls).toBe(1);
  });

  it("drains on stop: running handlers finish before the deadline", async () => {
    let finished = 0;
    const { worker } = await harness({
      capturi: {
        async ConversationSummaryUpdated() {
          await new Promise((resolve) => setTimeout(resolve, 150));
          finished++;
        },
      },
    });
    const ids = [await postCapturi(uidEvent()), await postCapturi(uidEvent())];
    worker.start();
    await expect
      .poll(async () => (await stores.inspect.countByStatus({})).counts.processing, POLL)
      .toBe(2);
    expect(await worker.stop(5_000)).toEqual({ finished: 2, released: 0 });
    expect(finished).toBe(2);
    expect([await status(ids[0] ?? 0), await status(ids[1] ?? 0)]).toEqual(["done", "done"]);
  });

  it("gives back what did not finish by the deadline; it runs after the next start", async () => {
    let signal: AbortSignal | undefined;
    const hanging = await harness({
      capturi: {
        ConversationSummaryUpdated: (_event, ctx) => {
          signal = ctx.signal;
          return new Promise(() => {});
        },
      },
    });
    const id = await postCapturi(uidEvent());
    hanging.worker.start();
    await expect.poll(() => status(id), POLL).toBe("processing");
    expect(await hanging.worker.stop(50)).toEqual({ finished: 0, released: 1 });
    expect(signal?.aborted).toBe(true);
    expect(await status(id)).toBe("pending");

    const next = await harness({ capturi: { ConversationSummaryUpdated: () => {} } });
    next.worker.start();
    await expect.poll(() => status(id), POLL).toBe("done");
    expect((await attempts(id)).map((a) => a.outcome)).toEqual(["abandoned", "succeeded"]);
  });

  it("hands a Full payload's entity to ctx.conversation() without any request", async () => {
    const subjects: (string | null | undefined)[] = [];
    const { worker } = await harness({
      capturi: {
        async ConversationProcessed(_event, ctx) {
          const result = await ctx.conversation();
          if (result.found) subjects.push(result.conversation.subject);
        },
      },
    });
    const id = await postCapturi(capturiFixtures.conversationProcessedFullPascal);
    worker.start();
    await expect.poll(() => status(id), POLL).toBe("done");
    expect(subjects).toEqual([capturiFixtures.conversationProcessedFull.entity.subject]);
  });

  it("handles a replayed invalid delivery that today's schema accepts: issues cleared, attempt recorded as replay", async () => {
    const handled: string[] = [];
    const { worker } = await harness({
      capturi: { ConversationProcessed: (event) => void handled.push(event.uid) },
    });
    // Stored as invalid by an older schema; the body is valid for today's.
    const { id } = await stores.inbox.recordDelivery({
      source: "capturi",
      method: "POST",
      path: "/webhooks/capturi",
      headers: { "content-type": "application/json" },
      body: Buffer.from(JSON.stringify(capturiFixtures.conversationProcessedFull)),
      receivedAt: new Date(),
      authMethod: "header-token",
      authKey: "#1 abcd1234",
      status: "invalid",
      eventType: "ConversationProcessed",
      idempotencyKey: crypto.randomUUID(),
      payloadMode: "full",
      entityUid: capturiFixtures.conversationProcessedFull.entity.uid,
      issues: [{ path: "entity.subject", message: "Expected number" }],
    });
    worker.start();
    expect((await stores.inspect.replay(id, new Date())).ok).toBe(true);
    await expect.poll(() => status(id), POLL).toBe("done");
    expect(handled).toEqual([capturiFixtures.conversationProcessedFull.entity.uid]);
    const detail = await stores.inspect.getDelivery(id);
    expect(detail?.delivery.issues).toBeNull();
    expect(detail?.attempts.map((a) => [a.trigger, a.outcome])).toEqual([["replay", "succeeded"]]);
  });
});
