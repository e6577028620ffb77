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
});
