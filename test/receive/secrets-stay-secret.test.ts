import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { capturiFixtures, credoFixtures } from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  TEST_CREDO_SECRET,
  TEST_CREDO_SECRET_2,
} from "../helpers/create-test-receiver.ts";
import { signCredo } from "../helpers/sign-credo.ts";

const CUSTOM_HEADER_TOKEN = "x-header-token-7d1e0c5a9b3f4e2d8c6a1b0f9e8d7c6b";

/** Every form in which a secret could leak: whole, without its prefix, and the key bytes. */
const SECRET_FORMS = [
  TEST_CAPTURI_TOKEN,
  CUSTOM_HEADER_TOKEN,
  TEST_CREDO_SECRET,
  TEST_CREDO_SECRET.slice("whsec_".length),
  TEST_CREDO_SECRET_2.slice("whsec_".length),
];

describe("secrets never reach the store, the logs or a response", () => {
  it.each([
    ["authorization", TEST_CAPTURI_TOKEN],
    ["x-webhook-token", CUSTOM_HEADER_TOKEN],
  ])("with the Capturi token in %s", async (tokenHeader, token) => {
    const receiver = createTestReceiver({
      capturi: { tokenHeader, tokens: [token] },
      credo: { secrets: [TEST_CREDO_SECRET, TEST_CREDO_SECRET_2] },
    });
    const responses: string[] = [];
    const capturi = JSON.stringify(capturiFixtures.conversationProcessedFull);
    const credo = JSON.stringify(credoFixtures.use_case_review_comment);
    const requests = [
      // accepted, wrong token, token sent to the wrong source, token on a mistyped path
      receiver.request
        .post("/webhooks/capturi")
        .set(tokenHeader, `Bearer ${token}`)
        .type("json")
        .send(capturi),
      receiver.request
        .post("/webhooks/capturi")
        .set(tokenHeader, `Bearer ${token}x`)
        .type("json")
        .send(capturi),
      receiver.request.post("/webhooks/credo").set(tokenHeader, token).type("json").send(credo),
      receiver.request
        .post("/webhooks/capturri")
        .set(tokenHeader, token)
        .type("json")
        .send(capturi),
      receiver.request.get("/webhooks/capturi").set(tokenHeader, token),
      receiver.request
        .post("/webhooks/credo")
        .set(signCredo(credo, { secret: TEST_CREDO_SECRET_2 }))
        .send(credo),
      receiver.request.post("/webhooks/credo").set(signCredo(credo)).send(`${credo} `),
    ];
    for (const request of requests) {
      const res = await request;
      responses.push(JSON.stringify(res.headers) + res.text);
    }
    expect(responses.filter((r) => r.includes('"code"')).length).toBeGreaterThanOrEqual(5);
    receiver.db.pragma("wal_checkpoint(PASSIVE)");

    const stored = [receiver.databasePath, `${receiver.databasePath}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString("latin1"))
      .join("");
    expect(stored.length).toBeGreaterThan(0);
    // The test would see a leak: the store does hold the (public) bodies that were sent.
    expect(stored).toContain(credoFixtures.use_case_review_comment.data.useCaseId);
    for (const secret of SECRET_FORMS) {
      expect(stored).not.toContain(secret);
      expect(receiver.logs.join("")).not.toContain(secret);
      for (const response of responses) expect(response).not.toContain(secret);
    }
    receiver.close();
  });

  it("redacts a configured secret by value, whatever header name a sender puts it under", async () => {
    const receiver = createTestReceiver({
      capturi: { tokenHeader: "authorization", tokens: [TEST_CAPTURI_TOKEN] },
      credo: { secrets: [TEST_CREDO_SECRET, TEST_CREDO_SECRET_2] },
    });
    const capturi = JSON.stringify(capturiFixtures.conversationProcessedFull);
    const credo = JSON.stringify(credoFixtures.use_case_review_comment);
    const key = TEST_CREDO_SECRET.slice("whsec_".length);
    const misplaced: Array<[string, string]> = [
      ["x-capturi-token", TEST_CAPTURI_TOKEN],
      ["x-auth-token", `Bearer ${TEST_CAPTURI_TOKEN}`],
      ["token", TEST_CAPTURI_TOKEN],
      ["api-key", `key=${TEST_CAPTURI_TOKEN};`],
      ["authentication", `Token ${TEST_CAPTURI_TOKEN}`],
      ["x-signing-secret", TEST_CREDO_SECRET],
      ["x-signing-key", key],
    ];
    const responses: string[] = [];
    for (const [name, value] of misplaced) {
      // Refused (no authorization header): the rejection log keeps the headers.
      const refused = await receiver.request
        .post("/webhooks/capturi")
        .set(name, value)
        .type("json")
        .send(capturi);
      // Accepted (signed correctly): the stored delivery keeps the headers.
      const accepted = await receiver.request
        .post("/webhooks/credo")
        .set({ ...signCredo(credo), [name]: value })
        .send(credo);
      expect([refused.status, accepted.status]).toEqual([401, 200]);
      responses.push(refused.text, accepted.text);
    }
    const names = misplaced.map(([name]) => name);
    const headersOf = (rows: Array<{ headers: string }>) =>
      rows.map((row) => JSON.parse(row.headers) as Record<string, string>);
    const rejected = headersOf(
      receiver.db.prepare("SELECT headers FROM rejections").all() as never,
    );
    const delivered = headersOf(
      receiver.db.prepare("SELECT headers FROM deliveries").all() as never,
    );
    expect(rejected).toHaveLength(names.length);
    expect(delivered).toHaveLength(names.length);
    // Each misplaced header is still there (so the user can see the mistake), its value replaced.
    names.forEach((name, i) => {
      expect(rejected[i]?.[name]).toBe("[redacted]");
      expect(delivered[i]?.[name]).toBe("[redacted]");
    });
    // Harmless headers are untouched.
    expect(delivered[0]?.["content-type"]).toContain("application/json");
    receiver.db.pragma("wal_checkpoint(PASSIVE)");
    const stored = [receiver.databasePath, `${receiver.databasePath}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString("latin1"))
      .join("");
    for (const secret of [TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET, key]) {
      expect(stored).not.toContain(secret);
      expect(receiver.logs.join("")).not.toContain(secret);
      for (const response of responses) expect(response).not.toContain(secret);
    }
    receiver.close();
  });
});
