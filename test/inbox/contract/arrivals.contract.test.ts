import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewDelivery } from "../../../src/inbox/inbox.ts";
import { type InspectStore, MAX_ARRIVALS_LISTED } from "../../../src/inbox/inspect-store.ts";
import type { Stores } from "../../../src/inbox/stores.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";
import { newDelivery } from "./seed-through-stores.ts";

const T0 = new Date("2025-06-01T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(STORE_KINDS)("duplicate arrivals and the stored answer on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  let store: InspectStore;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
    store = stores.inspect;
  });
  afterEach(() => test.destroy());

  const detail = async (id: number) => {
    const found = await store.getDelivery(id);
    if (!found) throw new Error(`no delivery ${id}`);
    return found;
  };
  const answer = (body: Record<string, unknown>, statusCode = 200): NewDelivery["answer"] => ({
    statusCode,
    bodyWithoutId: JSON.stringify(body),
  });

  it("records each of three sends as an arrival, in order, with the sender's attempt header", async () => {
    const key = "evt-sent-three-times";
    const sends = [1, 2, 3].map((attempt) =>
      newDelivery({
        idempotencyKey: key,
        receivedAt: at(attempt * 10),
        requestId: `req-${attempt}`,
        senderAttempt: String(attempt),
        answer: answer({ status: "pending", duplicate: false }),
      }),
    );
    const results = [];
    for (const send of sends) results.push(await stores.inbox.recordDelivery(send));
    const id = results[0]?.id ?? 0;
    expect(results.map((result) => [result.id, result.duplicate])).toEqual([
      [id, false],
      [id, true],
      [id, true],
    ]);

    const found = await detail(id);
    expect(found.arrivals).toEqual([
      {
        receivedAt: at(10),
        requestId: "req-1",
        senderAttempt: "1",
        statusCode: 200,
        duplicate: false,
      },
      {
        receivedAt: at(20),
        requestId: "req-2",
        senderAttempt: "2",
        statusCode: 200,
        duplicate: true,
      },
      {
        receivedAt: at(30),
        requestId: "req-3",
        senderAttempt: "3",
        statusCode: 200,
        duplicate: true,
      },
    ]);
    expect(found.arrivalsNotListed).toBe(0);
    expect(found.delivery.senderAttempt).toBe("1");
    const listed = await store.listDeliveries({});
    expect(listed.deliveries.map((row) => [row.id, row.arrivals])).toEqual([[id, 3]]);
    expect((await store.listNewDeliveries({}, 0, 10)).deliveries[0]?.arrivals).toBe(3);
  });

  it("counts arrivals per listed row: one for a delivery sent once, duplicates sent together included", async () => {
    const once = await stores.inbox.recordDelivery(newDelivery());
    const key = "evt-burst";
    // Concurrent: the copies share one commit (group commit, one PostgreSQL batch).
    const burst = await Promise.all(
      Array.from({ length: 4 }, () =>
        stores.inbox.recordDelivery(newDelivery({ idempotencyKey: key })),
      ),
    );
    const first = burst.find((result) => !result.duplicate);
    expect(burst.filter((result) => result.duplicate)).toHaveLength(3);
    const rows = (await store.listDeliveries({})).deliveries;
    expect(Object.fromEntries(rows.map((row) => [row.id, row.arrivals]))).toEqual({
      [once.id]: 1,
      [first?.id ?? 0]: 4,
    });
    // Without an attempt header or a request id, an arrival says so.
    expect((await detail(first?.id ?? 0)).arrivals[1]).toMatchObject({
      senderAttempt: null,
      requestId: null,
      duplicate: true,
    });
  });

  it(`lists the first arrival and the newest ${MAX_ARRIVALS_LISTED - 1} duplicates, and says how many more`, async () => {
    const key = "evt-retried-a-lot";
    const sends = MAX_ARRIVALS_LISTED + 5;
    for (let n = 1; n <= sends; n += 1) {
      await stores.inbox.recordDelivery(
        newDelivery({ idempotencyKey: key, receivedAt: at(n), senderAttempt: String(n) }),
      );
    }
    const [row] = (await store.listDeliveries({})).deliveries;
    expect(row?.arrivals).toBe(sends);
    const found = await detail(row?.id ?? 0);
    expect(found.arrivals).toHaveLength(MAX_ARRIVALS_LISTED);
    expect(found.arrivalsNotListed).toBe(sends - MAX_ARRIVALS_LISTED);
    const attempts = found.arrivals.map((arrival) => arrival.senderAttempt);
    expect(attempts[0]).toBe("1");
    // Newest last, the oldest duplicates (2 to 6) left out.
    expect(attempts.slice(1, 3)).toEqual(["7", "8"]);
    expect(attempts.at(-1)).toBe(String(sends));
    // No answer was given to keep: the duplicates record what a duplicate is answered.
    expect(found.arrivals[0]?.statusCode).toBeNull();
    expect(found.arrivals[1]?.statusCode).toBe(200);
  });

  it("gives back the answer with its id first, as sent, for an accepted, an invalid and a malformed delivery", async () => {
    const accepted = await stores.inbox.recordDelivery(
      newDelivery({ answer: answer({ status: "pending", duplicate: false, eventType: "E" }) }),
    );
    const issues = [{ path: "data.status", message: "Invalid option" }];
    const invalid = await stores.inbox.recordDelivery(
      newDelivery({
        status: "invalid",
        issues,
        answer: answer({ status: "invalid", duplicate: false, issues }),
      }),
    );
    const malformed = await stores.inbox.recordDelivery(
      newDelivery({
        status: "malformed",
        idempotencyKey: null,
        body: Buffer.from("{not json"),
        answer: answer({ code: "malformed_json", message: 'The body is not "JSON".' }, 400),
      }),
    );
    const empty = await stores.inbox.recordDelivery(newDelivery({ answer: answer({}) }));
    const none = await stores.inbox.recordDelivery(newDelivery());

    expect((await detail(accepted.id)).delivery.answer).toEqual({
      statusCode: 200,
      body: `{"id":${accepted.id},"status":"pending","duplicate":false,"eventType":"E"}`,
    });
    const invalidAnswer = (await detail(invalid.id)).delivery.answer;
    expect(JSON.parse(invalidAnswer?.body ?? "")).toEqual({
      id: invalid.id,
      status: "invalid",
      duplicate: false,
      issues,
    });
    expect((await detail(malformed.id)).delivery.answer).toEqual({
      statusCode: 400,
      body: `{"id":${malformed.id},"code":"malformed_json","message":"The body is not \\"JSON\\"."}`,
    });
    expect((await detail(empty.id)).delivery.answer?.body).toBe(`{"id":${empty.id}}`);
    expect((await detail(none.id)).delivery.answer).toBeNull();
  });

  it("keeps the first answer when a duplicate arrives, and records the duplicate's status code", async () => {
    const key = "evt-answered";
    const first = await stores.inbox.recordDelivery(
      newDelivery({ idempotencyKey: key, answer: answer({ status: "pending" }) }),
    );
    await stores.inbox.recordDelivery(
      newDelivery({ idempotencyKey: key, answer: answer({ status: "other" }, 202) }),
    );
    const found = await detail(first.id);
    expect(found.delivery.answer?.body).toBe(`{"id":${first.id},"status":"pending"}`);
    expect(found.arrivals.map((arrival) => arrival.statusCode)).toEqual([200, 202]);
  });

  it("prunes a delivery's arrivals with it: the same key stored again starts from one arrival", async () => {
    const key = "evt-pruned";
    const old = { idempotencyKey: key, status: "unhandled" as const, receivedAt: at(0) };
    const first = await stores.inbox.recordDelivery(newDelivery(old));
    await stores.inbox.recordDelivery(newDelivery(old));
    await stores.inbox.recordDelivery(newDelivery(old));
    expect((await store.prune(at(60), { dryRun: false })).deliveries).toBe(1);
    expect(await store.getDelivery(first.id)).toBeUndefined();

    const again = await stores.inbox.recordDelivery(newDelivery({ ...old, receivedAt: at(120) }));
    expect(again.duplicate).toBe(false);
    expect((await detail(again.id)).arrivals).toHaveLength(1);
    expect((await store.listDeliveries({})).deliveries.map((row) => row.arrivals)).toEqual([1]);
  });
});
