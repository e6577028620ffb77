import { afterEach, describe, expect, it } from "vitest";
import { credoFixtures } from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CREDO_SECRET,
  TEST_CREDO_SECRET_2,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { signCredo } from "../helpers/sign-credo.ts";
import { countRows } from "../helpers/stored.ts";

const body = JSON.stringify(credoFixtures.use_case_review_status_updated);
let receiver: TestReceiver;
afterEach(() => receiver.close());

function post(headers: Record<string, string>, payload: string | Buffer = body) {
  return receiver.request.post("/webhooks/credo").set(headers).send(payload);
}

describe("Credo AI Standard Webhooks authentication", () => {
  it("accepts a delivery signed with svix-* headers and records which secret matched", async () => {
    receiver = createTestReceiver();
    const res = await post(signCredo(body, { id: "msg_2vQyJ8nTq1" }));
    expect(res.status).toBe(200);
    const stored = await receiver.delivery(res.body.id);
    expect(stored).toMatchObject({
      authMethod: "standard-webhooks",
      idempotencyKey: "msg_2vQyJ8nTq1",
    });
    expect(stored?.authKey).toMatch(/^#1 \(sha256:[0-9a-f]{8}\)$/);
  });

  it("accepts webhook-* headers from white-labelled senders", async () => {
    receiver = createTestReceiver();
    const res = await post(signCredo(body, { prefix: "webhook", id: "msg_whitelabel" }));
    expect(res.status).toBe(200);
    expect((await receiver.delivery(res.body.id))?.idempotencyKey).toBe("msg_whitelabel");
  });

  it("accepts any of several configured secrets and records the second", async () => {
    receiver = createTestReceiver({ credo: { secrets: [TEST_CREDO_SECRET, TEST_CREDO_SECRET_2] } });
    const res = await post(signCredo(body, { secret: TEST_CREDO_SECRET_2 }));
    expect(res.status).toBe(200);
    expect((await receiver.delivery(res.body.id))?.authKey).toMatch(/^#2 /);
  });

  it("passes when any one of several v1 signatures matches", async () => {
    receiver = createTestReceiver();
    const headers = signCredo(body);
    const other = signCredo(body, { secret: TEST_CREDO_SECRET_2, id: headers["svix-id"] });
    headers["svix-signature"] =
      `v1a,ignored ${other["svix-signature"]} ${headers["svix-signature"]}`;
    expect((await post(headers)).status).toBe(200);
  });

  it.each(["svix-id", "svix-timestamp", "svix-signature"])(
    "answers 400 missing_signature_headers without %s",
    async (header) => {
      receiver = createTestReceiver();
      const headers = signCredo(body);
      delete headers[header];
      const res = await post(headers);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("missing_signature_headers");
      expect(res.body.message).toContain(header);
    },
  );

  it("answers 401 with the skew in seconds when the timestamp is outside the tolerance", async () => {
    receiver = createTestReceiver();
    const res = await post(signCredo(body, { timestamp: new Date(Date.now() - 301_000) }));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("timestamp_outside_tolerance");
    expect(res.body.message).toMatch(/30[12](\.\d)? s old; the tolerance is ±300 s/);
  });

  it("uses the configured tolerance, in both directions", async () => {
    receiver = createTestReceiver({ credo: { timestampToleranceSeconds: 30 } });
    const future = await post(signCredo(body, { timestamp: new Date(Date.now() + 60_000) }));
    expect(future.status).toBe(401);
    expect(future.body.message).toMatch(/in the future; the tolerance is ±30 s/);
    const recent = await post(signCredo(body, { timestamp: new Date(Date.now() - 20_000) }));
    expect(recent.status).toBe(200);
  });

  // The Standard Webhooks vectors "timestamp 301 s in the future / past", received in the second
  // half of a second, where rounding the clock to whole seconds used to let the future one in.
  describe("tolerance exactly ±300 s, whatever the milliseconds of the receiver's clock", () => {
    const signedAt = 1_760_000_000_000;
    const cases: [string, number, number][] = [
      ["301 s in the future, received at .700", -301_000 + 700, 401],
      ["301 s in the future, received at .500", -301_000 + 500, 401],
      ["300.001 s in the future", -300_001, 401],
      ["300 s in the future", -300_000, 200],
      ["300 s in the future, received at .700", -300_000 + 700, 200],
      ["300 s old", 300_000, 200],
      ["300.001 s old", 300_001, 401],
      ["300.5 s old", 300_500, 401],
      ["301 s old, received at .700", 301_700, 401],
    ];
    it.each(cases)("%s: %#", async (_label, offsetMs, status) => {
      const clock = { ms: signedAt + offsetMs };
      receiver = createTestReceiver({ now: () => new Date(clock.ms) });
      const res = await post(signCredo(body, { timestamp: new Date(signedAt) }));
      expect(res.status).toBe(status);
      if (status === 401) expect(res.body.code).toBe("timestamp_outside_tolerance");
    });
  });

  it("answers 401 timestamp_invalid for a timestamp that is not Unix seconds", async () => {
    receiver = createTestReceiver();
    const res = await post({ ...signCredo(body), "svix-timestamp": "2025-08-07T05:56:32Z" });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("timestamp_invalid");
  });

  it("answers 401 signature_mismatch when the body changed by one byte", async () => {
    receiver = createTestReceiver();
    const headers = signCredo(body);
    const res = await post(headers, body.replace("in_review", "approved"));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("signature_mismatch");
  });

  it("answers 401 signature_mismatch for a secret that is not configured", async () => {
    receiver = createTestReceiver();
    const res = await post(signCredo(body, { secret: TEST_CREDO_SECRET_2 }));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("signature_mismatch");
    expect(res.body.message).not.toContain(TEST_CREDO_SECRET.slice(6));
  });

  it("verifies the exact bytes of a body with non-ASCII text", async () => {
    receiver = createTestReceiver();
    const fixture = structuredClone(credoFixtures.use_case_review_comment);
    fixture.data.comment = "Godkendt af Søren 👍 — ÆØÅ";
    const unicode = JSON.stringify(fixture);
    expect((await post(signCredo(unicode), unicode)).status).toBe(200);
  });

  it("keys a delivery by the id that was signed: an added unsigned svix-id cannot make a copy new", async () => {
    receiver = createTestReceiver();
    const signed = signCredo(body, { prefix: "webhook", id: "msg_original" });
    const first = await post(signed);
    // A copy of the same signed delivery, with a fresh unsigned svix-id in front of it.
    const copy = await post({ ...signed, "svix-id": "msg_looks_new" });
    expect(first.body.duplicate).toBe(false);
    expect(copy.status).toBe(200);
    expect(copy.body).toMatchObject({ duplicate: true, id: first.body.id });
    expect(countRows(receiver.db, "deliveries")).toBe(1);
  });

  it("stores nothing and logs the reason when authentication fails", async () => {
    receiver = createTestReceiver();
    await post(signCredo(body, { secret: TEST_CREDO_SECRET_2 }));
    expect(countRows(receiver.db, "deliveries")).toBe(0);
    const [rejection] = await receiver.rejections(10);
    expect(rejection).toMatchObject({
      source: "credo",
      statusCode: 401,
      code: "signature_mismatch",
    });
  });

  it("skips verification only when configured with auth none", async () => {
    receiver = createTestReceiver({ credo: { auth: "none" } });
    const res = await post({ "content-type": "application/json" });
    expect(res.status).toBe(200);
    expect((await receiver.delivery(res.body.id))?.authMethod).toBe("none");
  });
});
