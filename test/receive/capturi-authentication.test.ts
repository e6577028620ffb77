import { afterEach, describe, expect, it } from "vitest";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { countRows } from "../helpers/stored.ts";

const body = JSON.stringify({
  eventUid: "0b4bd6b4-2a55-4f3c-9d5c-7a2f3e1c9b10",
  event: "ConversationProcessed",
  uid: "5d2f8c1e-3b7a-4e9f-8c6d-1a2b3c4d5e6f",
});
let receiver: TestReceiver;
afterEach(() => receiver.close());

function post(headers: Record<string, string>) {
  return receiver.request
    .post("/webhooks/capturi")
    .set({ "content-type": "application/json", ...headers })
    .send(body);
}

describe("Capturi static header authentication", () => {
  it("accepts the token as a Bearer Authorization header", async () => {
    receiver = createTestReceiver();
    const res = await post({ authorization: `Bearer ${TEST_CAPTURI_TOKEN}` });
    expect(res.status).toBe(200);
    const stored = await receiver.delivery(res.body.id);
    expect(stored).toMatchObject({
      authMethod: "header-token",
      headers: { authorization: "[redacted]" },
    });
    expect(stored?.authKey).toMatch(/^#1 /);
  });

  it("accepts a custom header and any of several tokens", async () => {
    receiver = createTestReceiver({
      capturi: {
        tokenHeader: "x-webhook-token",
        tokens: ["old-token-0123456789", TEST_CAPTURI_TOKEN],
      },
    });
    const res = await post({ "X-Webhook-Token": TEST_CAPTURI_TOKEN });
    expect(res.status).toBe(200);
    const stored = await receiver.delivery(res.body.id);
    expect(stored?.authKey).toMatch(/^#2 /);
    expect(stored?.headers["x-webhook-token"]).toBe("[redacted]");
  });

  it("answers 401 missing_token and names the header when it is absent", async () => {
    receiver = createTestReceiver({ capturi: { tokenHeader: "x-webhook-token" } });
    const res = await post({});
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: "missing_token" });
    expect(res.body.message).toContain("x-webhook-token");
  });

  it("answers 401 invalid_token for a wrong token, and a prefix of the right one", async () => {
    receiver = createTestReceiver();
    for (const token of ["wrong", TEST_CAPTURI_TOKEN.slice(0, -1)]) {
      const res = await post({ authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("invalid_token");
    }
    expect(countRows(receiver.db, "deliveries")).toBe(0);
    expect(countRows(receiver.db, "rejections", "code = 'invalid_token'")).toBe(2);
  });

  it("accepts anyone only when configured with auth none", async () => {
    receiver = createTestReceiver({ capturi: { auth: "none" } });
    const res = await post({});
    expect(res.status).toBe(200);
    expect((await receiver.delivery(res.body.id))?.authMethod).toBe("none");
  });
});
