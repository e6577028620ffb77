import { afterEach, describe, expect, it } from "vitest";
import { createInspectTestApp, type InspectTestApp } from "../helpers/create-inspect-test-app.ts";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "../helpers/create-test-receiver.ts";
import { signCredo } from "../helpers/sign-credo.ts";

let t: InspectTestApp;
afterEach(() => t.close());

async function postCredo(): Promise<number> {
  const body = JSON.stringify({ event_type: "use_case_review_comment", data: {} });
  const res = await t.request.post("/webhooks/credo").set(signCredo(body)).send(body);
  expect(res.status).toBe(200);
  return res.body.id;
}

describe("Copy as curl on a delivery's page", () => {
  it("signs with the development secret it was given, and never shows a secret", async () => {
    t = createInspectTestApp({ developmentSigningSecrets: { credo: TEST_CREDO_SECRET } });
    const id = await postCredo();
    const page = (await t.request.get(`/inspect/deliveries/${id}`)).text;
    expect(page).toContain('value="http://localhost:3000/webhooks/credo"');
    expect(page).toContain("-H &#39;webhook-signature: v1,");
    expect(page).toContain("Signed just now with this machine&#39;s development secret");
    const api = await t.request
      .get(`/inspect/api/deliveries/${id}/curl`)
      .query({ url: "https://example.test/hooks?x='1'", newId: "1" });
    expect(api.status).toBe(200);
    expect(api.body.auth).toBe("signed");
    expect(api.body.command).toContain(`-X POST 'https://example.test/hooks?x=%271%27'`);
    expect(api.body.note).toMatch(/new message|as a new/);
    for (const text of [page, JSON.stringify(api.body)]) {
      expect(text).not.toContain(TEST_CREDO_SECRET);
      expect(text).not.toContain(TEST_CREDO_SECRET.slice("whsec_".length));
      expect(text).not.toContain(TEST_CAPTURI_TOKEN);
    }
  });

  it("without a development secret, leaves the signing to $WEBHOOK_SECRET (the configured secret is not used)", async () => {
    t = createInspectTestApp();
    const id = await postCredo();
    const api = await t.request.get(`/inspect/api/deliveries/${id}/curl`);
    expect(api.body.auth).toBe("sign-yourself");
    expect(api.body.note).toContain("set WEBHOOK_SECRET");
    expect(api.body.command).not.toContain("-H 'webhook-signature: v1,");
  });

  it("puts Capturi's token in the header the source reads it from", async () => {
    t = createInspectTestApp({ capturi: { tokenHeader: "x-capturi-token" } });
    const res = await t.request
      .post("/webhooks/capturi")
      .set({ "content-type": "application/json", "x-capturi-token": TEST_CAPTURI_TOKEN })
      .send({ event: "ConversationProcessed", uid: crypto.randomUUID() });
    expect(res.status).toBe(200);
    const api = await t.request.get(`/inspect/api/deliveries/${res.body.id}/curl`);
    expect(api.body.command).toContain('-H "x-capturi-token: $CAPTURI_TOKEN"');
    expect(api.body.command).not.toContain("authorization");
    expect(api.body.command).not.toContain(TEST_CAPTURI_TOKEN);
  });

  it("refuses a URL that is not http(s) with what to fix", async () => {
    t = createInspectTestApp();
    const id = await postCredo();
    for (const url of ["file:///etc/passwd", "not a url", `http://x/${"a".repeat(2100)}`]) {
      const res = await t.request.get(`/inspect/api/deliveries/${id}/curl`).query({ url });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: "invalid_curl_url",
        message: expect.stringContaining("http:// or https:// URL"),
      });
    }
    expect((await t.request.get("/inspect/api/deliveries/999/curl")).status).toBe(404);
  });
});
