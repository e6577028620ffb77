import type { Request, Response } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { isLocalRequest, requireInspectAccess } from "../../src/inspect/inspect-access.ts";
import { CONTENT_SECURITY_POLICY } from "../../src/inspect/security-headers.ts";
import { createInspectTestApp, type InspectTestApp } from "../helpers/create-inspect-test-app.ts";
import { TEST_CAPTURI_TOKEN } from "../helpers/create-test-receiver.ts";
import { seedDeliveries } from "../helpers/seed-deliveries.ts";
import {
  hostileConversation,
  hostileUnknownEvent,
  IMG_PAYLOAD,
  SCRIPT_PAYLOAD,
} from "./xss-payloads.ts";

const INSPECT_TOKEN = "inspect-token-3b9f1c0e7d2a4e58";
let t: InspectTestApp;
afterEach(() => t.close());

async function postCapturi(body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await t.request
    .post("/webhooks/capturi")
    .set({
      "content-type": "application/json",
      authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
      ...headers,
    })
    .send(JSON.stringify(body));
  expect(res.status).toBe(200);
  return res.body.id;
}

/**
 * Markup that could run: a script element without src, an img, an inline handler or inline style.
 * Attribute values are blanked first (quotes inside them are escaped), so that text which merely
 * reads `onerror=` does not count; only real tags and attributes do.
 */
function expectNoInlineCode(page: string) {
  const tags = page.replace(/="[^"]*"/g, '=""');
  expect(tags).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
  expect(tags).not.toMatch(/<img/i);
  expect(tags).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
  expect(tags).not.toMatch(/<[^>]*\sstyle\s*=/i);
}

describe("the inspect pages", () => {
  it("send a strict Content-Security-Policy and load script and styles only from files", async () => {
    t = createInspectTestApp();
    const res = await t.request.get("/inspect");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.headers["content-security-policy"]).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(res.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.text).toContain('<script src="/inspect/assets/inspect.js" defer></script>');
    expectNoInlineCode(res.text);
    const script = await t.request.get("/inspect/assets/inspect.js");
    expect(script.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(script.text).not.toMatch(/\beval\(|new Function/);
    expect(res.text).toContain('<link rel="icon" href="/inspect/assets/favicon.svg"');
    const icon = await t.request.get("/inspect/assets/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers["content-type"]).toMatch(/^image\/svg\+xml/);
    expect((await t.request.get("/inspect/assets/inspect.css")).headers["content-type"]).toMatch(
      /^text\/css/,
    );
  });

  it("escape what outsiders wrote: body fields, event types, header values and the echoed search", async () => {
    t = createInspectTestApp();
    const id = await postCapturi(hostileConversation(), { "x-note": IMG_PAYLOAD });
    await postCapturi(hostileUnknownEvent());

    const list = await t.request.get("/inspect").query({ search: `"><script>alert(1)</script>` });
    expectNoInlineCode(list.text);
    const all = await t.request.get("/inspect");
    expectNoInlineCode(all.text);
    expect(all.text).toContain("Evil&lt;img src=x onerror=&quot;window.__pwned = 2;");

    const detail = await t.request.get(`/inspect/deliveries/${id}`);
    expect(detail.status).toBe(200);
    expectNoInlineCode(detail.text);
    expect(detail.text).toContain(
      "&lt;script&gt;window.__pwned = 1; document.title = &#39;pwned&#39;&lt;/script&gt;",
    );
    expect(detail.text).toContain("<th>x-note</th>");
    expect(detail.text).not.toContain(SCRIPT_PAYLOAD);

    // The live update's rows are rendered by the same template.
    const update = await t.request.get("/inspect/api/updates").query({ after: 0 });
    expectNoInlineCode(update.body.rowsHtml);
    expect(update.body.deliveries).toHaveLength(2);
  });

  it("show the delivery's parts: verified at receipt, headers, formatted body, attempts, replay button", async () => {
    t = createInspectTestApp();
    const id = await postCapturi(hostileConversation());
    const page = (await t.request.get(`/inspect/deliveries/${id}`)).text;
    expect(page).toContain("verified at receipt");
    expect(page).toContain("header token");
    expect(page).toContain('<th>authorization</th><td class="mono">[redacted]</td>');
    expect(page).toContain("  &quot;eventUid&quot;: ");
    // No worker runs here: it is still pending, so the button says why it cannot replay yet.
    expect(page).toContain("Cannot replay. It is already waiting for the worker.");
    expect(page).toContain("npm run events -- export");
  });
});

describe("the inspect JSON API", () => {
  it("answers errors as JSON with a code and a message that says what to fix", async () => {
    t = createInspectTestApp();
    const badStatus = await t.request.get("/inspect/api/deliveries?status=lost");
    expect(badStatus.status).toBe(400);
    expect(badStatus.body).toEqual({
      code: "invalid_filter",
      message: expect.stringMatching(/status must be one of/),
    });
    const badSince = await t.request.get("/inspect/api/deliveries?since=yesterday");
    expect(badSince.body.code).toBe("invalid_filter");
    const missing = await t.request.get("/inspect/api/deliveries/4242");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("delivery_not_found");
    expect((await t.request.get("/inspect/deliveries/abc")).body.code).toBe("delivery_not_found");
  });

  it("pages with a cursor and filters like the page", async () => {
    t = createInspectTestApp();
    seedDeliveries(
      t.db,
      Array.from({ length: 5 }, (_, i) => ({ receivedAtMs: 1_700_000_000_000 + i })),
    );
    const first = await t.request.get("/inspect/api/deliveries?limit=3");
    expect(first.body.deliveries.map((d: { id: number }) => d.id)).toEqual([5, 4, 3]);
    expect(first.body.nextCursor).toBe("1700000000002-3");
    const second = await t.request.get(
      `/inspect/api/deliveries?limit=3&before=${first.body.nextCursor}`,
    );
    expect(second.body.deliveries.map((d: { id: number }) => d.id)).toEqual([2, 1]);
    expect(second.body.nextCursor).toBeNull();
    expect((await t.request.get("/inspect/api/counts")).body.counts.done).toBe(5);
  });

  it("replays only from the page's own script, and says why a malformed delivery cannot be", async () => {
    t = createInspectTestApp();
    const [done = 0, malformed = 0] = seedDeliveries(t.db, [
      { status: "done" },
      { status: "malformed", idempotencyKey: null },
    ]);
    const forged = await t.request.post(`/inspect/api/deliveries/${done}/replay`);
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe("inspect_cross_site");
    const crossSite = await t.request
      .post(`/inspect/api/deliveries/${done}/replay`)
      .set({ "x-inspect-request": "1", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);

    const replayed = await t.request
      .post(`/inspect/api/deliveries/${done}/replay`)
      .set("x-inspect-request", "1");
    expect(replayed.status).toBe(202);
    expect(replayed.body).toEqual({ id: done, status: "pending", previousStatus: "done" });
    const refused = await t.request
      .post(`/inspect/api/deliveries/${malformed}/replay`)
      .set("x-inspect-request", "1");
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      code: "not_replayable",
      message: expect.stringMatching(/not JSON/),
    });
  });

  it("replays many only with a filter", async () => {
    t = createInspectTestApp();
    seedDeliveries(t.db, [{ status: "dead" }, { status: "done" }]);
    const unfiltered = await t.request.post("/inspect/api/replay").set("x-inspect-request", "1");
    expect(unfiltered.status).toBe(400);
    expect(unfiltered.body.code).toBe("replay_needs_filter");
    const dead = await t.request
      .post("/inspect/api/replay?status=dead")
      .set("x-inspect-request", "1");
    expect(dead.body).toEqual({ replayed: 1, skipped: {} });
  });
});

describe("an authentic body nested deeper than the stack allows", () => {
  it("is stored, and the JSON API shows it as text instead of failing", async () => {
    t = createInspectTestApp();
    const depth = 100_000;
    const deep = `{"event":"DeepEvent","uid":"${crypto.randomUUID()}","x":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const res = await t.request
      .post("/webhooks/capturi")
      .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
      .send(deep);
    expect(res.status).toBe(200);
    const api = await t.request.get(`/inspect/api/deliveries/${res.body.id}`);
    expect(api.status).toBe(200);
    expect(api.body.delivery.body).toBe(deep);
    expect(api.body.delivery.bodyJson).toBeUndefined();
    expect((await t.request.get(`/inspect/deliveries/${res.body.id}`)).status).toBe(200);
  });
});

describe("access to /inspect", () => {
  it("is refused to a Host that is not loopback (DNS rebinding) and to requests through a proxy", async () => {
    t = createInspectTestApp();
    const rebound = await t.request.get("/inspect").set("host", "evil.example:3000");
    expect(rebound.status).toBe(403);
    expect(rebound.body).toEqual({
      code: "inspect_loopback_only",
      message: expect.stringMatching(/INSPECT_TOKEN/),
    });
    const proxied = await t.request.get("/inspect/api/counts").set("x-forwarded-for", "127.0.0.1");
    expect(proxied.status).toBe(403);
    // The webhooks are not behind this check.
    expect((await t.request.get("/healthz").set("host", "evil.example")).status).toBe(200);
  });

  it("in production, needs INSPECT_TOKEN even on loopback (a local reverse proxy looks local)", async () => {
    t = createInspectTestApp({ trustLoopback: false });
    const local = await t.request.get("/inspect/api/counts");
    expect(local.status).toBe(403);
    expect(local.body.code).toBe("inspect_needs_token");

    t.close();
    t = createInspectTestApp({ trustLoopback: false, token: INSPECT_TOKEN });
    expect((await t.request.get("/inspect/api/counts")).status).toBe(401);
    const withToken = await t.request
      .get("/inspect/api/counts")
      .set("authorization", `Bearer ${INSPECT_TOKEN}`);
    expect(withToken.status).toBe(200);
  });

  it("with INSPECT_TOKEN, lets other clients in with the bearer token or the sign-in cookie, compared in full", async () => {
    t = createInspectTestApp({ token: INSPECT_TOKEN });
    const remote = { host: "inbox.example.com" };
    const anonymous = await t.request.get("/inspect").set(remote);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe("inspect_token_required");
    expect(
      (
        await t.request
          .get("/inspect")
          .set({ ...remote, authorization: `Bearer ${INSPECT_TOKEN}x` })
      ).status,
    ).toBe(401);
    expect(
      (await t.request.get("/inspect").set({ ...remote, authorization: `Bearer ${INSPECT_TOKEN}` }))
        .status,
    ).toBe(200);

    const form = await t.request.get("/inspect/login").set(remote);
    expect(form.status).toBe(200);
    expect(form.text).not.toContain(INSPECT_TOKEN);
    const wrong = await t.request
      .post("/inspect/login")
      .set(remote)
      .type("form")
      .send({ token: "nope" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe("invalid_inspect_token");
    const signedIn = await t.request
      .post("/inspect/login")
      .set(remote)
      .type("form")
      .send({ token: INSPECT_TOKEN });
    expect(signedIn.status).toBe(303);
    const cookie = String(signedIn.headers["set-cookie"]?.[0]);
    expect(cookie).toMatch(
      /^inspect_session=[\w-]+; Max-Age=\d+; Path=\/inspect; Expires=.*; HttpOnly; SameSite=Strict$/,
    );
    expect(cookie).not.toContain(INSPECT_TOKEN);
    const page = await t.request
      .get("/inspect")
      .set({ ...remote, cookie: cookie.split(";")[0] ?? "" });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(INSPECT_TOKEN);
  });

  it("is refused to a client whose socket is not loopback, whatever it claims", () => {
    // A request as Node hands it over from another machine: only the socket's peer is trusted.
    const remote = {
      socket: { remoteAddress: "203.0.113.9" },
      headers: { host: "localhost", "x-forwarded-for": "127.0.0.1" },
    } as unknown as Request;
    expect(isLocalRequest(remote)).toBe(false);
    expect(() => requireInspectAccess(undefined, true)(remote, {} as Response, () => {})).toThrow(
      expect.objectContaining({ status: 403, code: "inspect_loopback_only" }),
    );
    const local = {
      socket: { remoteAddress: "::ffff:127.0.0.1" },
      headers: { host: "127.0.0.1:3000" },
    };
    expect(isLocalRequest(local as unknown as Request)).toBe(true);
  });
});
