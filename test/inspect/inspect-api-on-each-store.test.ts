import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createInspectTestApp, type InspectTestApp } from "../helpers/create-inspect-test-app.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../helpers/test-stores.ts";
import { seedDeliveries } from "../inbox/contract/seed-through-stores.ts";

const XHR = { "x-inspect-request": "1" };

describe.each(STORE_KINDS)("the inspect JSON API on %s", (kind) => {
  let test: TestInbox;
  let t: InspectTestApp;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    t = createInspectTestApp({ stores: await test.open() });
  });
  afterEach(() => test.destroy());

  it("pages with a cursor (ties on one millisecond included) and counts", async () => {
    const at = new Date(1_700_000_000_000);
    const ids = await seedDeliveries(
      await test.open(),
      Array.from({ length: 5 }, () => ({ receivedAt: at })),
    );
    const first = await t.request.get("/inspect/api/deliveries?limit=3");
    expect(first.body.deliveries.map((d: { id: number }) => d.id)).toEqual(
      [...ids].reverse().slice(0, 3),
    );
    const second = await t.request.get(
      `/inspect/api/deliveries?limit=3&before=${first.body.nextCursor}`,
    );
    expect(second.body.deliveries.map((d: { id: number }) => d.id)).toEqual(
      [...ids].reverse().slice(3),
    );
    expect(second.body.nextCursor).toBeNull();
    expect((await t.request.get("/inspect/api/counts")).body.counts.done).toBe(5);
  });

  it("replays one delivery, refuses a malformed one, and replays many only with a filter", async () => {
    const [done = 0, malformed = 0] = await seedDeliveries(await test.open(), [
      { status: "done" },
      { status: "malformed", idempotencyKey: null },
      { status: "dead" },
    ]);
    const replayed = await t.request.post(`/inspect/api/deliveries/${done}/replay`).set(XHR);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toEqual({ id: done, status: "pending", previousStatus: "done" });
    const refused = await t.request.post(`/inspect/api/deliveries/${malformed}/replay`).set(XHR);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("not_replayable");
    const unfiltered = await t.request.post("/inspect/api/replay").set(XHR);
    expect(unfiltered.body.code).toBe("replay_needs_filter");
    const dead = await t.request.post("/inspect/api/replay?status=dead").set(XHR);
    expect(dead.body).toEqual({ replayed: 1, skipped: {} });
    const detail = await t.request.get(`/inspect/api/deliveries/${done}`);
    expect(detail.body.delivery.status).toBe("pending");
  });

  it("pages rejections by id, and answers 400 to a before that is not an id, never 500", async () => {
    const stores = await test.open();
    for (const message of ["a", "b", "c"]) {
      await stores.inbox.recordRejection({
        source: "credo",
        method: "POST",
        path: "/webhooks/credo",
        statusCode: 401,
        code: "signature_mismatch",
        message,
        headers: {},
        bodyExcerpt: Buffer.from("{}"),
        bodyBytes: 2,
        receivedAt: new Date(),
      });
    }
    const first = await t.request.get("/inspect/api/rejections?limit=2");
    const messages = (res: typeof first) =>
      res.body.rejections.map((r: { message: string }) => r.message);
    expect(messages(first)).toEqual(["c", "b"]);
    const older = await t.request.get(
      `/inspect/api/rejections?before=${first.body.rejections[1].id}`,
    );
    expect(messages(older)).toEqual(["a"]);
    for (const before of ["1.5", "1e20", "-1", "0x10", "1234567890123456"]) {
      const res = await t.request.get(`/inspect/api/rejections?before=${before}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("invalid_cursor");
      expect(res.body.message).toContain(`got "${before}"`);
      // The page says so above its form, with a 400 too.
      expect((await t.request.get(`/inspect/rejections?before=${before}`)).status).toBe(400);
    }
  });
});
