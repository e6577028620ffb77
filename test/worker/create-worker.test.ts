import { afterEach, describe, expect, it } from "vitest";
import type { Handlers } from "../../src/handlers/define-handlers.ts";
import { capturiFixtures, credoFixtures } from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { createWorkerHarness, eventually } from "../helpers/create-worker-harness.ts";
import { signCredo } from "../helpers/sign-credo.ts";
import { countRows } from "../helpers/stored.ts";

let receiver: TestReceiver;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  receiver.close();
});

function harness(handlers: Handlers, worker?: Parameters<typeof createWorkerHarness>[0]["worker"]) {
  const h = createWorkerHarness({
    databasePath: receiver.databasePath,
    handlers,
    ...(worker ? { worker } : {}),
  });
  cleanups.push(
    () => h.close(),
    () => h.worker.stop(1_000),
  );
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

function status(id: number): string {
  return (
    receiver.db.prepare("SELECT status FROM deliveries WHERE id = ?").get(id) as { status: string }
  ).status;
}

function attempts(id: number) {
  return receiver.db
    .prepare(
      "SELECT number, trigger, outcome, error FROM attempts WHERE delivery_id = ? ORDER BY number",
    )
    .all(id) as { number: number; trigger: string; outcome: string | null; error: string | null }[];
}

describe("the worker", () => {
  it("runs the handler of the event type once, with the typed event, and marks it done", async () => {
    receiver = createTestReceiver();
    const seen: string[] = [];
    const { worker } = harness({
      credo: { use_case_review_comment: (event) => void seen.push(event.data.comment) },
    });
    const body = JSON.stringify(credoFixtures.use_case_review_comment);
    const res = await receiver.request.post("/webhooks/credo").set(signCredo(body)).send(body);
    worker.start();
    await eventually(() => status(res.body.id) === "done");
    expect(seen).toEqual([credoFixtures.use_case_review_comment.data.comment]);
    expect(attempts(res.body.id)).toEqual([
      { number: 1, trigger: "receipt", outcome: "succeeded", error: null },
    ]);
  });

  it("retries a failing handler with backoff, records every attempt, then marks it dead", async () => {
    receiver = createTestReceiver();
    let calls = 0;
    const { worker } = harness(
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
    await eventually(() => status(id) === "dead");
    expect(calls).toBe(3);
    expect(attempts(id)).toEqual([
      { number: 1, trigger: "receipt", outcome: "failed", error: "CRM unavailable (call 1)" },
      { number: 2, trigger: "retry", outcome: "failed", error: "CRM unavailable (call 2)" },
      { number: 3, trigger: "retry", outcome: "failed", error: "CRM unavailable (call 3)" },
    ]);
    const row = receiver.db.prepare("SELECT last_error FROM deliveries WHERE id = ?").get(id);
    expect(row).toEqual({ last_error: "CRM unavailable (call 3)" });
  });

  it("succeeds on a later attempt and stops retrying", async () => {
    receiver = createTestReceiver();
    let calls = 0;
    const { worker } = harness({
      capturi: {
        ConversationSummaryUpdated: () => {
          if (++calls < 2) throw new Error("flaky");
        },
      },
    });
    const id = await postCapturi(uidEvent());
    worker.start();
    await eventually(() => status(id) === "done");
    expect(attempts(id).map((a) => a.outcome)).toEqual(["failed", "succeeded"]);
  });

  it("does not run unhandled or invalid deliveries, nor events without a handler", async () => {
    receiver = createTestReceiver();
    let calls = 0;
    const { worker } = harness({ capturi: { ConversationProcessed: () => void calls++ } });
    const unhandled = await postCapturi({ event: "ConversationDeleted", uid: crypto.randomUUID() });
    const invalid = await postCapturi({ event: "ConversationProcessed", uid: "not-a-uid" });
    const noHandler = await postCapturi(uidEvent());
    worker.start();
    await eventually(() => status(noHandler) === "unhandled");
    expect([status(unhandled), status(invalid)]).toEqual(["unhandled", "invalid"]);
    expect(attempts(unhandled)).toEqual([]);
    expect(attempts(invalid)).toEqual([]);
    expect(attempts(noHandler)[0]).toMatchObject({ outcome: "skipped" });
    expect(calls).toBe(0);
  });

  it("never runs one delivery twice at once, with two workers on two connections", async () => {
    receiver = createTestReceiver();
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
    const first = harness(handlers, { concurrency: 4, id: "first" });
    const second = harness(handlers, { concurrency: 4, id: "second" });
    first.worker.start();
    second.worker.start();
    await eventually(() => countRows(receiver.db, "deliveries", "status = 'done'") === 40);
    expect(overlaps).toBe(0);
    expect(runs).toHaveLength(40);
    expect(new Set(runs).size).toBe(40);
    const workers = receiver.db.prepare("SELECT DISTINCT worker FROM attempts").all();
    expect(workers).toHaveLength(2);
  });

  it("keeps trying while the inbox cannot be written, and catches up once it can", async () => {
    receiver = createTestReceiver();
    let calls = 0;
    const { worker, db } = harness({ capturi: { ConversationSummaryUpdated: () => void calls++ } });
    const id = await postCapturi(uidEvent());
    // The worker's own connection refuses writes: every claim fails, as on a full disk.
    db.pragma("query_only = ON");
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(status(id)).toBe("pending");
    db.pragma("query_only = OFF");
    await eventually(() => status(id) === "done");
    expect(calls).toBe(1);
  });

  it("drains on stop: running handlers finish before the deadline", async () => {
    receiver = createTestReceiver();
    let finished = 0;
    const { worker } = harness({
      capturi: {
        async ConversationSummaryUpdated() {
          await new Promise((resolve) => setTimeout(resolve, 150));
          finished++;
        },
      },
    });
    const ids = [await postCapturi(uidEvent()), await postCapturi(uidEvent())];
    worker.start();
    await eventually(() => countRows(receiver.db, "attempts") === 2);
    expect(await worker.stop(5_000)).toEqual({ finished: 2, released: 0 });
    expect(finished).toBe(2);
    expect(ids.map(status)).toEqual(["done", "done"]);
  });

  it("gives back what did not finish by the deadline; it runs after the next start", async () => {
    receiver = createTestReceiver();
    let signal: AbortSignal | undefined;
    const hanging = harness({
      capturi: {
        ConversationSummaryUpdated: (_event, ctx) => {
          signal = ctx.signal;
          return new Promise(() => {});
        },
      },
    });
    const id = await postCapturi(uidEvent());
    hanging.worker.start();
    await eventually(() => status(id) === "processing");
    expect(await hanging.worker.stop(50)).toEqual({ finished: 0, released: 1 });
    expect(signal?.aborted).toBe(true);
    expect(status(id)).toBe("pending");

    const next = harness({ capturi: { ConversationSummaryUpdated: () => {} } });
    next.worker.start();
    await eventually(() => status(id) === "done");
    expect(attempts(id).map((a) => a.outcome)).toEqual(["abandoned", "succeeded"]);
  });
});

describe("capturi fixtures reach the handlers", () => {
  it("hands a Full payload's entity to ctx.conversation() without any request", async () => {
    receiver = createTestReceiver();
    const subjects: (string | null | undefined)[] = [];
    const { worker } = harness({
      capturi: {
        async ConversationProcessed(_event, ctx) {
          const result = await ctx.conversation();
          if (result.found) subjects.push(result.conversation.subject);
        },
      },
    });
    const id = await postCapturi(capturiFixtures.conversationProcessedFullPascal);
    worker.start();
    await eventually(() => status(id) === "done");
    expect(subjects).toEqual([capturiFixtures.conversationProcessedFull.entity.subject]);
  });
});
