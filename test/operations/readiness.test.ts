import { afterEach, describe, expect, it } from "vitest";
import { READINESS_WRITE_BYTES, type WriteCheck } from "../../src/inbox/inbox.ts";
import { createReadiness } from "../../src/operations/create-readiness.ts";
import { capturiFixtures } from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { withClient } from "../helpers/postgres/create-test-database.ts";
import { createTestInbox, type TestInbox } from "../helpers/test-stores.ts";

let receiver: TestReceiver | undefined;
let inbox: TestInbox | undefined;
afterEach(async () => {
  receiver?.close();
  await inbox?.destroy();
  receiver = inbox = undefined;
});

/** A delivery of `bytes` (a Capturi Full payload padded with metadata), each with its own id. */
function postDelivery(target: TestReceiver, bytes: number) {
  const body = JSON.stringify({
    ...capturiFixtures.liveSummaryMessageFull,
    eventUid: crypto.randomUUID(),
    padding: "x".repeat(bytes),
  });
  return target.request
    .post("/webhooks/capturi")
    .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
    .send(body);
}

describe("the readiness check", () => {
  it("writes at most once per cache period however many probes ask, and shares a check in flight", async () => {
    let checks = 0;
    let clock = 0;
    const readiness = createReadiness({
      checkWritable: async (): Promise<WriteCheck> => {
        checks++;
        return { ok: true };
      },
      cacheMs: 5_000,
      nowMs: () => clock,
    });
    await Promise.all(Array.from({ length: 10 }, () => readiness.check()));
    expect(checks).toBe(1);
    clock = 4_999;
    expect(await readiness.check()).toEqual({ ready: true });
    expect(checks).toBe(1);
    clock = 5_000;
    await readiness.check();
    expect(checks).toBe(2);
  });

  it("says draining at once when shutdown starts, even with a passing check cached", async () => {
    const readiness = createReadiness({ checkWritable: async () => ({ ok: true }) });
    expect(await readiness.check()).toEqual({ ready: true });
    readiness.startDraining();
    expect(await readiness.check()).toMatchObject({ ready: false, code: "draining" });
  });
});

describe("/readyz over a real inbox", () => {
  it("answers 200 with one probe row however often it is called, and /livez without the database", async () => {
    inbox = await createTestInbox("sqlite");
    receiver = createTestReceiver({ stores: await inbox.open() });
    for (let i = 0; i < 5; i++) {
      const res = await receiver.request.get("/readyz");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "ok" });
      expect(res.headers["cache-control"]).toBe("no-store");
    }
    expect(await inbox.readinessProbeBytes()).toEqual([READINESS_WRITE_BYTES]);
    expect((await receiver.request.get("/healthz")).status).toBe(200);

    await receiver.stores.close();
    expect((await receiver.request.get("/livez")).body).toEqual({ status: "ok" });
    expect((await receiver.request.get("/readyz")).status).toBe(503);
  });

  it("fails on SQLite when the file is full (max_page_count), as the deliveries do", async () => {
    inbox = await createTestInbox("sqlite");
    receiver = createTestReceiver({ stores: await inbox.open() });
    const { db } = receiver;
    expect((await receiver.request.get("/readyz")).status).toBe(200);
    // Room for a few deliveries more, then the file cannot grow: a disk that is full.
    const pages = db.pragma("page_count", { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 60}`);

    let stored = 0;
    for (;;) {
      const ready = await receiver.request.get("/readyz");
      const delivered = await postDelivery(receiver, READINESS_WRITE_BYTES - 2_000);
      // Ready promises that a delivery of that size can be stored now.
      if (ready.status === 200) expect(delivered.status).toBe(200);
      if (delivered.status !== 200) {
        expect(delivered.status).toBe(503);
        expect(delivered.body.code).toBe("inbox_unavailable");
        break;
      }
      stored++;
      expect(stored).toBeLessThan(50);
    }
    expect(stored).toBeGreaterThan(0);
    const ready = await receiver.request.get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.code).toBe("inbox_unwritable");
    // The database's own words stay in the log, not in a public answer.
    expect(ready.body.message).not.toMatch(/full|sqlite/i);
  });

  it("fails on PostgreSQL when the database turns read-only (a failover to a standby)", async () => {
    inbox = await createTestInbox("postgres");
    receiver = createTestReceiver({ stores: await inbox.open() });
    expect((await receiver.request.get("/readyz")).status).toBe(200);
    const url = inbox.env.DATABASE_URL ?? "";
    const database = new URL(url).pathname.slice(1);
    // Every connection of the receiver comes back with the new default, as after a failover.
    const setReadOnly = (value: "on" | "off") =>
      withClient(url, async (admin) => {
        // This session too started under the database's default.
        await admin.query("SET default_transaction_read_only = off");
        await admin.query(
          `ALTER DATABASE ${database} SET default_transaction_read_only = ${value}`,
        );
        await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [database],
        );
      });
    await setReadOnly("on");
    try {
      await expect.poll(async () => (await receiver?.request.get("/readyz"))?.status).toBe(503);
      expect((await postDelivery(receiver, 1_000)).status).toBe(503);
    } finally {
      await setReadOnly("off");
    }
    await expect.poll(async () => (await receiver?.request.get("/readyz"))?.status).toBe(200);
  });
});
