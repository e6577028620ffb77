import { afterEach, describe, expect, it } from "vitest";
import { openPostgresStores } from "../../src/inbox/postgres/open-postgres-stores.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { capturiFixtures } from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres/create-test-database.ts";
import { startTcpProxy, type TcpProxy, throughProxy } from "../helpers/postgres/start-tcp-proxy.ts";

let database: TestDatabase;
let proxy: TcpProxy;
let stores: Stores;
let receiver: TestReceiver;
afterEach(async () => {
  receiver.close();
  await stores.close();
  await proxy.close();
  await database.drop();
});

function post(): Promise<{
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}> {
  const body = { ...capturiFixtures.conversationProcessedUid, eventUid: crypto.randomUUID() };
  return receiver.request
    .post("/webhooks/capturi")
    .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
    .send(JSON.stringify(body));
}

describe("when PostgreSQL becomes unreachable", () => {
  it("answers 503 inbox_unavailable with Retry-After, never a 2xx, and recovers by itself once it is back", async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(database.url);
    stores = await openPostgresStores(throughProxy(database.url, proxy));
    receiver = createTestReceiver({ stores });
    let woken = 0;
    const unsubscribe = stores.queue.onNewWork(() => woken++);
    expect((await post()).status).toBe(200);

    proxy.cut();
    const refused = await Promise.all([post(), post(), post()]);
    for (const res of refused) {
      expect(res.status).toBe(503);
      expect(res.body.code).toBe("inbox_unavailable");
      expect(res.headers["retry-after"]).toBe("5");
    }
    expect((await receiver.request.get("/healthz")).status).toBe(503);

    proxy.restore();
    await expect.poll(async () => (await post()).status, { timeout: 10_000 }).toBe(200);
    expect((await receiver.request.get("/healthz")).status).toBe(200);
    // Only what was acknowledged is stored: the first delivery and the ones after the outage.
    const { counts } = await stores.inspect.countByStatus({});
    expect(counts.pending).toBeGreaterThanOrEqual(2);

    // The LISTEN connection came back too: work committed by another instance wakes this one.
    const other = await openPostgresStores(database.url);
    try {
      await expect
        .poll(
          async () => {
            woken = 0;
            await other.inbox.recordDelivery({
              source: "capturi",
              method: "POST",
              path: "/webhooks/capturi",
              headers: {},
              body: Buffer.from("{}"),
              receivedAt: new Date(),
              authMethod: "header-token",
              authKey: null,
              status: "pending",
              eventType: "ConversationProcessed",
              idempotencyKey: crypto.randomUUID(),
              payloadMode: "uid",
              entityUid: null,
              issues: null,
            });
            await new Promise((resolve) => setTimeout(resolve, 100));
            return woken;
          },
          { timeout: 15_000, interval: 200 },
        )
        .toBeGreaterThan(0);
    } finally {
      await other.close();
      unsubscribe();
    }
  });
});
