import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import {
  createDeliveryEngine,
  type DeliveryEngine,
} from "../../../tools/sandbox/deliveries/create-delivery-engine.ts";
import {
  createDeliveryLog,
  type DeliveryLog,
} from "../../../tools/sandbox/deliveries/delivery-log.ts";
import type {
  DeliveryRecord,
  NewDelivery,
} from "../../../tools/sandbox/deliveries/delivery-record.ts";
import {
  SVIX_RETRY_DELAYS_MS,
  scaleDelays,
} from "../../../tools/sandbox/deliveries/retry-schedules.ts";
import { TEST_CREDO_SECRET } from "../../helpers/create-test-receiver.ts";
import {
  type Answer,
  type LoopbackReceiver,
  startLoopbackReceiver,
} from "../../helpers/start-loopback-receiver.ts";

// Svix's 5 s … 10 h become 0.05 ms … 360 ms: the whole schedule runs in about a second.
const FAST_SVIX_DELAYS = scaleDelays(SVIX_RETRY_DELAYS_MS, 0.00001);

describe("the sandbox's delivery engine", () => {
  let receiver: LoopbackReceiver;
  let engine: DeliveryEngine;
  let log: DeliveryLog;
  // A clock that the receiver moves forward by two seconds per request, so that timestamps differ.
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  async function start(answer: (index: number) => Answer, timeoutMs = 2000) {
    receiver = await startLoopbackReceiver((index) => {
      offsetMs += 2000;
      return answer(index);
    });
    log = createDeliveryLog(null);
    engine = createDeliveryEngine({
      log,
      fetch: globalThis.fetch,
      signingSecret: TEST_CREDO_SECRET,
      timeoutMs,
      now,
    });
  }

  function credoDelivery(): NewDelivery {
    return {
      source: "credo",
      event: "use_case_name_updated",
      messageId: "msg_2xJ5fA0rXy3bB1n5lXqkQ9cVd7E",
      endpoint: "Fh3Jk8sPq2LmN6vXc9RtYw",
      url: `${receiver.url}/webhooks/credo`,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"type":"CredoAI.use_case_name_updated.v1"}',
      signed: true,
      retryDelaysMs: FAST_SVIX_DELAYS,
    };
  }

  async function settled(id: string): Promise<DeliveryRecord> {
    for (;;) {
      const record = log.get(id);
      if (record && record.status !== "pending") return record;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  afterEach(async () => {
    engine.stop();
    await receiver.close();
    offsetMs = 0;
  });

  it("retries with the same message id and a fresh timestamp and signature on every attempt", async () => {
    await start((index) => ({ status: index < 2 ? 503 : 204 }));

    const record = await settled(engine.enqueue(credoDelivery()).id);

    expect(record.status).toBe("delivered");
    expect(record.attempts.map((attempt) => [attempt.trigger, attempt.status])).toEqual([
      ["initial", 503],
      ["retry", 503],
      ["retry", 204],
    ]);
    const ids = receiver.requests.map((request) => request.headers["svix-id"]);
    expect(ids).toEqual(Array(3).fill("msg_2xJ5fA0rXy3bB1n5lXqkQ9cVd7E"));
    const timestamps = receiver.requests.map((request) =>
      Number(request.headers["svix-timestamp"]),
    );
    expect(new Set(timestamps).size).toBe(3);
    for (const request of receiver.requests) {
      const headers = {
        "webhook-id": String(request.headers["svix-id"]),
        "webhook-timestamp": String(request.headers["svix-timestamp"]),
        "webhook-signature": String(request.headers["svix-signature"]),
      };
      expect(() => new Webhook(TEST_CREDO_SECRET).verify(request.body, headers)).not.toThrow();
    }
  });

  it("stops retrying when the receiver answers webhook-delivery: abort-message", async () => {
    await start(() => ({ status: 400, headers: { "webhook-delivery": "abort-message" } }));

    const record = await settled(engine.enqueue(credoDelivery()).id);

    expect(record.status).toBe("aborted");
    expect(record.attempts).toHaveLength(1);
  });

  it("gives up after Svix's 8 attempts, counting a 3xx as a failure", async () => {
    await start(() => ({ status: 307, headers: { location: "/elsewhere" } }));

    const record = await settled(engine.enqueue(credoDelivery()).id);

    expect(record.status).toBe("failed");
    expect(record.attempts).toHaveLength(8);
    expect(receiver.requests.every((request) => request.url === "/webhooks/credo")).toBe(true);
  });

  it("counts no answer within the timeout as a failed attempt", async () => {
    await start(() => ({ status: 200, delayMs: 1000 }), 50);
    const record = await settled(engine.enqueue({ ...credoDelivery(), retryDelaysMs: [] }).id);

    expect(record.status).toBe("failed");
    expect(record.attempts[0]?.status).toBeNull();
    expect(record.attempts[0]?.error).toBe("no response within 50 ms");
  });

  it("replays one delivery, or every delivery of a time range, with the same message id", async () => {
    await start(() => ({ status: 200 }));
    const first = await settled(engine.enqueue(credoDelivery()).id);

    engine.replay(first.id);
    const replayed = await settled(first.id);
    expect(replayed.attempts.map((attempt) => attempt.trigger)).toEqual(["initial", "replay"]);

    const second = await settled(
      engine.enqueue({ ...credoDelivery(), messageId: "msg_second" }).id,
    );
    const inRange = engine.replayRange(second.createdAtMs, second.createdAtMs);
    expect(inRange.map((record) => record.id)).toEqual([second.id]);
    expect((await settled(second.id)).attempts).toHaveLength(2);
    expect(receiver.requests.map((request) => request.headers["svix-id"])).toEqual([
      first.messageId,
      first.messageId,
      "msg_second",
      "msg_second",
    ]);
  });
});
