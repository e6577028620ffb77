import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SENDER_ATTEMPT_MAX_LENGTH } from "../../src/inbox/inbox.ts";
import { senderAttempt } from "../../src/receive/sender-attempt.ts";
import { credoFixtures } from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { signCredo } from "../helpers/sign-credo.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../helpers/test-stores.ts";

describe.each(STORE_KINDS)("arrivals and answers through the receiver on %s", (kind) => {
  let test: TestInbox;
  let receiver: TestReceiver;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    receiver = createTestReceiver({ stores: await test.open() });
  });
  afterEach(async () => {
    receiver.close();
    await test.destroy();
  });

  const detail = async (id: number) => {
    const found = await receiver.stores.inspect.getDelivery(id);
    if (!found) throw new Error(`no delivery ${id}`);
    return found;
  };

  it("shows a delivery that Svix sent three times as three arrivals, with svix-attempt and request ids", async () => {
    const body = JSON.stringify(credoFixtures.use_case_name_updated);
    const responses = [];
    for (const attempt of [1, 2, 3]) {
      // Each retry is signed afresh, with the same message id.
      responses.push(
        await receiver.request
          .post("/webhooks/credo")
          .set({ ...signCredo(body, { id: "msg_three" }), "svix-attempt": String(attempt) })
          .set("x-request-id", `req-${attempt}`)
          .send(body),
      );
    }
    expect(responses.map((res) => [res.status, res.body.duplicate])).toEqual([
      [200, false],
      [200, true],
      [200, true],
    ]);
    const id = responses[0]?.body.id;
    const found = await detail(id);
    expect(
      found.arrivals.map((a) => [a.senderAttempt, a.requestId, a.statusCode, a.duplicate]),
    ).toEqual([
      ["1", "req-1", 200, false],
      ["2", "req-2", 200, true],
      ["3", "req-3", 200, true],
    ]);
    expect((await receiver.stores.inspect.listDeliveries({})).deliveries[0]?.arrivals).toBe(3);
    // The answer kept is the one the first arrival got, byte for byte.
    expect(found.delivery.answer).toEqual({ statusCode: 200, body: responses[0]?.text });
  });

  it("keeps the answer exactly as sent for an invalid and a malformed delivery", async () => {
    const fixture = structuredClone(credoFixtures.use_case_review_task_status_updated);
    (fixture.data as { status: string }).status = "finished";
    const invalidBody = JSON.stringify(fixture);
    const invalid = await receiver.request
      .post("/webhooks/credo")
      .set(signCredo(invalidBody))
      .send(invalidBody);
    expect(invalid.body.status).toBe("invalid");
    expect((await detail(invalid.body.id)).delivery.answer).toEqual({
      statusCode: 200,
      body: invalid.text,
    });

    const malformed = await receiver.request
      .post("/webhooks/capturi")
      .set({
        "content-type": "application/json",
        authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
        "x-retry-count": "  2  ",
      })
      .send("{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: "malformed_json", id: expect.any(Number) });
    const stored = await detail(malformed.body.id);
    expect(stored.delivery.answer).toEqual({ statusCode: 400, body: malformed.text });
    expect(stored.arrivals).toEqual([
      expect.objectContaining({ senderAttempt: "2", statusCode: 400 }),
    ]);
  });

  it("never stores a secret that a sender put in an attempt header", async () => {
    const res = await receiver.request
      .post("/webhooks/capturi")
      .set({
        "content-type": "application/json",
        authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
        "x-retry-count": TEST_CAPTURI_TOKEN,
      })
      .send({ event: "ConversationProcessed", uid: crypto.randomUUID() });
    expect(res.status).toBe(200);
    const stored = await detail(res.body.id);
    expect(stored.arrivals[0]?.senderAttempt).toBe("[redacted]");
    expect(JSON.stringify(stored)).not.toContain(TEST_CAPTURI_TOKEN);
  });
});

describe("the sender's attempt header", () => {
  it("is the first of the known headers present, trimmed and cut to its maximum length", () => {
    expect(senderAttempt({})).toBeNull();
    expect(senderAttempt({ "x-attempt": "4", "webhook-attempt": "2" })).toBe("2");
    expect(senderAttempt({ "svix-attempt": " 3 ", "x-retry-count": "9" })).toBe("3");
    expect(senderAttempt({ "webhook-attempt": "   ", "x-webhook-attempt": "5" })).toBe("5");
    expect(senderAttempt({ "x-retry-count": ["7", "8"] })).toBe("7");
    expect(senderAttempt({ "x-attempt": "x".repeat(500) })).toHaveLength(SENDER_ATTEMPT_MAX_LENGTH);
    expect(senderAttempt({ "x-other": "1" })).toBeNull();
  });
});
