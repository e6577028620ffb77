import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type NewDelivery,
  READINESS_WRITE_BYTES,
  REJECTION_BODY_BYTES,
  REJECTION_LOG_SIZE,
} from "../../../src/inbox/inbox.ts";
import type { Stores } from "../../../src/inbox/stores.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";
import { newDelivery } from "./seed-through-stores.ts";

describe.each(STORE_KINDS)("the inbox on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
  });
  afterEach(() => test.destroy());

  it("stores every fact of a delivery, byte for byte", async () => {
    const body = Buffer.from([0x7b, 0x7d, 0x00, 0xff, 0x0a]);
    const delivery = newDelivery({
      body,
      headers: { "content-type": "application/json", "x-b": "2", "x-a": "1" },
      status: "invalid",
      issues: [{ path: "entity.subject", message: "Expected string" }],
      receivedAt: new Date("2025-06-01T12:00:00.123Z"),
    });
    const recorded = await stores.inbox.recordDelivery(delivery);
    expect(recorded).toEqual({ id: expect.any(Number), duplicate: false, status: "invalid" });
    const stored = (await stores.inspect.getDelivery(recorded.id))?.delivery;
    const { status: _status, ...facts } = delivery;
    expect(stored).toMatchObject({ ...facts, status: "invalid", attemptCount: 0 });
    expect(stored?.body.equals(body)).toBe(true);
    expect(Object.keys(stored?.headers ?? {})).toEqual(["content-type", "x-b", "x-a"]);
  });

  it("answers a duplicate with the first delivery's id and status, and keeps malformed bodies apart", async () => {
    const first = await stores.inbox.recordDelivery(newDelivery({ idempotencyKey: "evt-1" }));
    const again = await stores.inbox.recordDelivery(
      newDelivery({ idempotencyKey: "evt-1", status: "invalid" }),
    );
    expect(again).toEqual({ id: first.id, duplicate: true, status: "pending" });
    // Same key, other source: another delivery.
    const credo = await stores.inbox.recordDelivery(
      newDelivery({ idempotencyKey: "evt-1", source: "credo" }),
    );
    expect(credo.duplicate).toBe(false);
    const malformed = () =>
      stores.inbox.recordDelivery(newDelivery({ idempotencyKey: null, status: "malformed" }));
    const [m1, m2] = [await malformed(), await malformed()];
    expect([m1.duplicate, m2.duplicate]).toEqual([false, false]);
    expect(m1.id).not.toBe(m2.id);
  });

  it("records deliveries that arrive together, duplicates among them included, each answered after its commit", async () => {
    const keys = Array.from({ length: 60 }, (_, i) => `evt-batch-${i % 40}`);
    const results = await Promise.all(
      keys.map((idempotencyKey) => stores.inbox.recordDelivery(newDelivery({ idempotencyKey }))),
    );
    expect(results.filter((result) => !result.duplicate)).toHaveLength(40);
    const idsByKey = new Map<string, Set<number>>();
    results.forEach((result, i) => {
      const key = keys[i] ?? "";
      idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(result.id));
    });
    expect([...idsByKey.values()].every((ids) => ids.size === 1)).toBe(true);
    expect((await stores.inspect.countByStatus({})).counts.pending).toBe(40);
  });

  it("fails only the delivery the database refuses, not the innocent ones that arrived with it", async () => {
    // A payload_mode outside the schema's CHECK: refused by either database.
    const poisoned = newDelivery({ payloadMode: "bogus" as NewDelivery["payloadMode"] });
    const innocent = Array.from({ length: 5 }, () => newDelivery());
    const settled = await Promise.allSettled(
      [innocent[0], poisoned, ...innocent.slice(1)].map((delivery) =>
        stores.inbox.recordDelivery(delivery as NewDelivery),
      ),
    );
    expect(settled.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    expect((await stores.inspect.countByStatus({})).counts.pending).toBe(5);
  });

  it("finds a duplicate that another instance commits at the same instant", async () => {
    const other = await test.open();
    const keys = Array.from({ length: 30 }, (_, i) => `evt-race-${i}`);
    const both = await Promise.all(
      keys.flatMap((idempotencyKey) =>
        [stores, other].map((instance) =>
          instance.inbox.recordDelivery(newDelivery({ idempotencyKey })),
        ),
      ),
    );
    for (let i = 0; i < keys.length; i++) {
      const [a, b] = [both[2 * i], both[2 * i + 1]];
      expect(a?.id).toBe(b?.id);
      expect([a?.duplicate, b?.duplicate].sort()).toEqual([false, true]);
    }
    expect((await stores.inspect.countByStatus({})).counts.pending).toBe(keys.length);
  });

  it("keeps what it stored when closed and opened again", async () => {
    const { id } = await stores.inbox.recordDelivery(newDelivery({ idempotencyKey: "evt-kept" }));
    await stores.close();
    const reopened = await test.open();
    expect((await reopened.inspect.getDelivery(id))?.delivery.idempotencyKey).toBe("evt-kept");
    expect(
      await reopened.inbox.recordDelivery(newDelivery({ idempotencyKey: "evt-kept" })),
    ).toMatchObject({
      id,
      duplicate: true,
    });
  });

  it(`keeps only the newest ${REJECTION_LOG_SIZE} rejections, bodies cut to ${REJECTION_BODY_BYTES} bytes`, async () => {
    const rejection = {
      source: "capturi",
      method: "POST",
      path: "/webhooks/capturi",
      statusCode: 401,
      code: "invalid_token",
      message: "wrong token",
      headers: {},
      bodyExcerpt: Buffer.alloc(10_000, "a"),
      bodyBytes: 10_000,
    };
    for (let i = 0; i < REJECTION_LOG_SIZE + 5; i++) {
      await stores.inbox.recordRejection({ ...rejection, receivedAt: new Date(i) });
    }
    const all = [];
    for (let page = await stores.inspect.listRejections({ limit: 200 }); page.length > 0; ) {
      all.push(...page);
      page = await stores.inspect.listRejections({ limit: 200, beforeId: page.at(-1)?.id ?? 0 });
    }
    expect(all).toHaveLength(REJECTION_LOG_SIZE);
    expect(all[0]?.receivedAt.getTime()).toBe(REJECTION_LOG_SIZE + 4);
    expect(all[0]?.bodyExcerpt.length).toBe(REJECTION_BODY_BYTES);
  });

  it("says it is writable, and writes one delivery-sized probe row however often it is asked", async () => {
    for (let i = 0; i < 3; i++) expect(await stores.inbox.checkWritable()).toEqual({ ok: true });
    expect(await test.readinessProbeBytes()).toEqual([READINESS_WRITE_BYTES]);
  });

  it("says it is not writable when a delivery could not be written, and why", async () => {
    const outage = await test.openWithOutage();
    expect(await outage.stores.inbox.checkWritable()).toEqual({ ok: true });
    outage.cut();
    expect(await outage.stores.inbox.checkWritable()).toEqual({
      ok: false,
      error: expect.any(String),
    });
    await expect(outage.stores.inbox.recordDelivery(newDelivery())).rejects.toThrow();
    outage.restore();
    expect(await outage.stores.inbox.checkWritable()).toEqual({ ok: true });
  });
});
