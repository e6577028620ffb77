import { afterEach, describe, expect, it } from "vitest";
import { createSqliteInspectStore } from "../../../src/inbox/sqlite/create-sqlite-inspect-store.ts";
import { createSqliteWorkQueue } from "../../../src/inbox/sqlite/create-sqlite-work-queue.ts";
import { openDatabase } from "../../../src/inbox/sqlite/open-database.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../../helpers/create-test-receiver.ts";

let receiver: TestReceiver;
afterEach(() => receiver.close());

const LEASE_MS = 1_000;
const at = (ms: number) => new Date(Date.now() + ms);

async function storedDelivery(): Promise<number> {
  receiver = createTestReceiver();
  const res = await receiver.request
    .post("/webhooks/capturi")
    .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
    .send(JSON.stringify({ event: "ConversationSummaryUpdated", uid: crypto.randomUUID() }));
  return res.body.id;
}

/** Two queues on two connections to one file: two worker processes, as far as SQLite can tell. */
function twoQueues() {
  const second = openDatabase(receiver.databasePath);
  return {
    a: createSqliteWorkQueue(receiver.db),
    b: createSqliteWorkQueue(second),
    close: () => second.close(),
  };
}

function row(id: number) {
  return receiver.db.prepare("SELECT status, last_error FROM deliveries WHERE id = ?").get(id) as {
    status: string;
    last_error: string | null;
  };
}

describe("the SQLite work queue", () => {
  it("lets a stalled worker neither renew nor settle a lease another worker took over", async () => {
    const id = await storedDelivery();
    const { a, b, close } = twoQueues();
    const first = await a.claimNext("a", LEASE_MS, at(0), 8);
    // A stalls past its lease; B takes the delivery over.
    const second = await b.claimNext("b", LEASE_MS, at(LEASE_MS + 1), 8);
    expect(first && second).toBeTruthy();
    if (!first || !second) return;
    expect(await a.renewLease(first, LEASE_MS, at(LEASE_MS + 2))).toBe(false);
    await a.finish(first, { kind: "succeeded" }, at(LEASE_MS + 3));
    expect(row(id).status).toBe("processing");
    await b.finish(second, { kind: "succeeded" }, at(LEASE_MS + 4));
    expect(row(id).status).toBe("done");
    const attempts = receiver.db.prepare("SELECT worker, outcome FROM attempts ORDER BY id").all();
    expect(attempts).toEqual([
      { worker: "a", outcome: "abandoned" },
      { worker: "b", outcome: "succeeded" },
    ]);
    close();
  });

  it("marks dead a delivery whose every attempt ended with its process gone, instead of crash-looping", async () => {
    const id = await storedDelivery();
    const queue = createSqliteWorkQueue(receiver.db);
    expect(await queue.claimNext("doomed-1", LEASE_MS, at(0), 2)).toBeTruthy();
    expect(await queue.claimNext("doomed-2", LEASE_MS, at(LEASE_MS + 1), 2)).toBeTruthy();
    // Both processes died mid-handler; the second lease expires too.
    expect(await queue.claimNext("next", LEASE_MS, at(3 * LEASE_MS), 2)).toBeUndefined();
    expect(row(id)).toEqual({
      status: "dead",
      last_error: expect.stringContaining("ended with the worker's process gone"),
    });
  });

  it("gives a replayed delivery a fresh budget of attempts", async () => {
    const id = await storedDelivery();
    const queue = createSqliteWorkQueue(receiver.db);
    const failed = { kind: "failed", error: "CRM down", retryAt: null } as const;
    const first = await queue.claimNext("w", LEASE_MS, at(0), 1);
    if (!first) throw new Error("expected a claim");
    await queue.finish(first, failed, at(1));
    expect(row(id).status).toBe("dead");

    await createSqliteInspectStore(receiver.db).replay(id, at(2));
    const replayed = await queue.claimNext("w", LEASE_MS, at(3), 1);
    expect(replayed).toMatchObject({ attemptNumber: 2, attemptsThisRun: 1, trigger: "replay" });
  });
});
