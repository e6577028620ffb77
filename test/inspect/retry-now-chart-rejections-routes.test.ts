import { afterEach, describe, expect, it } from "vitest";
import { DELIVERY_STATUSES } from "../../src/inbox/inbox.ts";
import { createInspectTestApp, type InspectTestApp } from "../helpers/create-inspect-test-app.ts";
import { seedDeliveries } from "../helpers/seed-deliveries.ts";

const HOUR_MS = 3_600_000;
let t: InspectTestApp;
afterEach(() => t.close());

/** A pending delivery after one failed attempt, its retry due in an hour. */
function seedWaiting(): number {
  const [id = 0] = seedDeliveries(t.db, [{ status: "pending", attemptCount: 1 }]);
  t.db
    .prepare("UPDATE deliveries SET next_attempt_at_ms = ?, next_trigger = 'retry' WHERE id = ?")
    .run(Date.now() + HOUR_MS, id);
  return id;
}

describe("POST /inspect/api/deliveries/:id/retry-now", () => {
  it("answers only the page's own script, as replay does", async () => {
    t = createInspectTestApp();
    const id = seedWaiting();
    const forged = await t.request.post(`/inspect/api/deliveries/${id}/retry-now`);
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe("inspect_cross_site");
    const crossSite = await t.request
      .post(`/inspect/api/deliveries/${id}/retry-now`)
      .set({ "x-inspect-request": "1", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    // Nothing moved.
    expect((await t.store.getDelivery(id))?.delivery.nextAttemptAt?.getTime()).toBeGreaterThan(
      Date.now(),
    );
  });

  it("makes a waiting delivery due now (200), and says 409 or 404 with a reason otherwise", async () => {
    t = createInspectTestApp();
    const id = seedWaiting();
    const [done = 0] = seedDeliveries(t.db, [{ status: "done" }]);
    const post = (target: number | string) =>
      t.request.post(`/inspect/api/deliveries/${target}/retry-now`).set("x-inspect-request", "1");

    const ok = await post(id);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      id,
      status: "pending",
      nextAttemptAt: expect.any(String),
      attemptCount: 1,
    });
    expect(Date.parse(ok.body.nextAttemptAt)).toBeLessThanOrEqual(Date.now());
    expect((await t.store.getDelivery(id))?.delivery.nextAttemptAt?.getTime()).toBeLessThanOrEqual(
      Date.now(),
    );

    const again = await post(id);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: "not_waiting", message: expect.stringMatching(/due/) });
    const settled = await post(done);
    expect(settled.status).toBe(409);
    expect(settled.body).toEqual({ code: "not_waiting", message: expect.stringMatching(/done/) });
    for (const missing of [999_999, "abc"]) {
      const res = await post(missing);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: "delivery_not_found", message: `No delivery ${missing}.` });
    }
  });

  it("shows arrivals, the answer and whether it can be retried now in the delivery's JSON", async () => {
    t = createInspectTestApp();
    const id = seedWaiting();
    const res = await t.request.get(`/inspect/api/deliveries/${id}`);
    expect(res.body).toMatchObject({
      arrivals: [{ duplicate: false, statusCode: null, senderAttempt: null }],
      arrivalsNotListed: 0,
      retryableNow: { ok: true },
      delivery: { answer: null },
    });
  });
});

describe("GET /inspect/api/chart", () => {
  it("counts the last 24 hours per interval and status, with the filter's other fields", async () => {
    t = createInspectTestApp();
    const now = Date.now();
    seedDeliveries(t.db, [
      { status: "done", receivedAtMs: now - 10 * 60_000 },
      { status: "dead", receivedAtMs: now - 10 * 60_000, source: "credo" },
      { status: "done", receivedAtMs: now - 5 * HOUR_MS },
      { status: "done", receivedAtMs: now - 30 * HOUR_MS },
    ]);
    const res = await t.request.get("/inspect/api/chart");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bucketMs: HOUR_MS / 2, capped: false });
    expect(res.body.buckets).toHaveLength(48);
    expect(Date.parse(res.body.until) - Date.parse(res.body.since)).toBe(24 * HOUR_MS);
    const total = (body: { buckets: { counts: Record<string, number> }[] }) =>
      Object.fromEntries(
        DELIVERY_STATUSES.map((status) => [
          status,
          body.buckets.reduce((sum, bucket) => sum + (bucket.counts[status] ?? 0), 0),
        ]),
      );
    expect(total(res.body)).toMatchObject({ done: 2, dead: 1 });
    expect(res.body.buckets.at(-1).counts).toMatchObject({ done: 1, dead: 1 });

    const credo = await t.request.get("/inspect/api/chart?source=credo&buckets=24&since=1h");
    expect(credo.body.buckets).toHaveLength(24);
    // The chart's range is always the last day: a since in the filter does not narrow it.
    expect(total(credo.body)).toMatchObject({ done: 0, dead: 1 });
  });

  it.each([
    ["buckets=0", "invalid_buckets"],
    ["buckets=289", "invalid_buckets"],
    ["buckets=ten", "invalid_buckets"],
    ["status=sleeping", "invalid_filter"],
  ])("refuses %s with 400 and what to fix", async (query, code) => {
    t = createInspectTestApp();
    const res = await t.request.get(`/inspect/api/chart?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code, message: expect.any(String) });
  });
});

describe("rejections filters", () => {
  async function seedRejections() {
    const now = Date.now();
    const rows = [
      ["credo", "signature_mismatch", now - 3 * HOUR_MS],
      ["capturi", "missing_token", now - 30 * 60_000],
      ["credo", "timestamp_skew", now - 60_000],
    ] as const;
    for (const [source, code, at] of rows) {
      await recordRejection(source, code, new Date(at));
    }
  }
  async function recordRejection(source: string, code: string, receivedAt: Date) {
    const res = await t.request
      .post(`/webhooks/${source}`)
      .set({ "content-type": "application/json" })
      .send("{}");
    expect(res.status).toBeGreaterThanOrEqual(400);
    // Re-date and re-code the row the receiver just logged, to get known values.
    t.db
      .prepare(
        "UPDATE rejections SET code = ?, received_at_ms = ? WHERE id = (SELECT max(id) FROM rejections)",
      )
      .run(code, receivedAt.getTime());
  }

  it("narrow the JSON list and the page by source, code and time", async () => {
    t = createInspectTestApp();
    await seedRejections();
    const codes = async (query: string) =>
      (await t.request.get(`/inspect/api/rejections?${query}`)).body.rejections.map(
        (row: { code: string }) => row.code,
      );
    expect(await codes("")).toEqual(["timestamp_skew", "missing_token", "signature_mismatch"]);
    expect(await codes("source=credo")).toEqual(["timestamp_skew", "signature_mismatch"]);
    expect(await codes("code=missing_token")).toEqual(["missing_token"]);
    expect(await codes("since=1h")).toEqual(["timestamp_skew", "missing_token"]);
    expect(await codes("source=credo&until=1h")).toEqual(["signature_mismatch"]);

    const page = await t.request.get("/inspect/rejections?code=missing_token");
    expect(page.status).toBe(200);
    // The table's rows only: the form suggests every known code.
    const table = page.text.slice(page.text.indexOf('<table class="rejections"'));
    expect(table).toContain("missing_token");
    expect(table).not.toContain("signature_mismatch");
    expect(page.text).toContain('value="missing_token"');
  });

  it.each(["code=Not%20A%20Code", "since=yesterday", "until=13:00"])(
    "refuse %s with 400 and what to fix, on the page and the API",
    async (query) => {
      t = createInspectTestApp();
      const api = await t.request.get(`/inspect/api/rejections?${query}`);
      expect(api.status).toBe(400);
      expect(api.body).toEqual({ code: "invalid_filter", message: expect.any(String) });
      // The page says it above its form, as the deliveries page does, so it can be fixed there.
      const page = await t.request.get(`/inspect/rejections?${query}`);
      expect(page.status).toBe(400);
      expect(page.text).toContain(
        `<p class="notice notice-error">${api.body.message.replaceAll('"', "&quot;")}</p>`,
      );
      expect(page.text).toContain(
        '<form class="filters" method="get" action="/inspect/rejections">',
      );
    },
  );
});
