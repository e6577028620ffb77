import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REJECTION_BODY_BYTES, REJECTION_LOG_SIZE } from "../../src/inbox/inbox.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { sha256Hex } from "../../src/sources/sha256-hex.ts";
import {
  type CapturiFixtureName,
  capturiFixtureNames,
  capturiFixtures,
  credoEventTypes,
  credoFixtures,
} from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { signCredo } from "../helpers/sign-credo.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../helpers/test-stores.ts";

function postCapturi(receiver: TestReceiver, body: string) {
  return receiver.request
    .post("/webhooks/capturi")
    .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
    .send(body);
}

function postCredo(receiver: TestReceiver, body: string, id?: string) {
  return receiver.request
    .post("/webhooks/credo")
    .set(signCredo(body, id ? { id } : {}))
    .send(body);
}

const EXPECTED_CAPTURI_EVENT: Record<CapturiFixtureName, string> = {
  conversationProcessedUid: "ConversationProcessed",
  conversationProcessedFull: "ConversationProcessed",
  conversationSummaryUpdatedUid: "ConversationSummaryUpdated",
  conversationSummaryUpdatedFull: "ConversationSummaryUpdated",
  liveSummaryMessageFull: "LiveSummaryMessage",
  conversationProcessedUidPascal: "ConversationProcessed",
  conversationProcessedFullPascal: "ConversationProcessed",
  conversationSummaryUpdatedUidPascal: "ConversationSummaryUpdated",
  conversationSummaryUpdatedFullPascal: "ConversationSummaryUpdated",
  liveSummaryMessageFullPascal: "LiveSummaryMessage",
  summaryReadyUidPascal: "ConversationSummaryUpdated",
  conversationProcessedFullNewerFields: "ConversationProcessed",
};

describe.each(STORE_KINDS)("recording deliveries in the inbox on %s", (kind) => {
  let test: TestInbox;
  let receivers: TestReceiver[] = [];
  beforeEach(async () => {
    test = await createTestInbox(kind);
  });
  afterEach(async () => {
    for (const receiver of receivers) receiver.close();
    receivers = [];
    await test.destroy();
  });
  async function start(stores?: Stores): Promise<TestReceiver> {
    const receiver = createTestReceiver({ stores: stores ?? (await test.open()) });
    receivers.push(receiver);
    return receiver;
  }
  const counts = async (receiver: TestReceiver) =>
    (await receiver.stores.inspect.countByStatus({})).counts;

  it.each(capturiFixtureNames)("stores Capturi %s as pending, with its facts", async (name) => {
    const receiver = await start();
    const body = JSON.stringify(capturiFixtures[name]);
    const res = await postCapturi(receiver, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "pending", duplicate: false });
    const stored = await receiver.delivery(res.body.id);
    expect(stored).toMatchObject({
      source: "capturi",
      status: "pending",
      eventType: EXPECTED_CAPTURI_EVENT[name],
      payloadMode: name.includes("Uid") ? "uid" : "full",
    });
    expect(stored?.entityUid).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored?.body.equals(Buffer.from(body))).toBe(true);
  });

  it.each(credoEventTypes)("stores Credo AI %s as pending, keyed by svix-id", async (type) => {
    const receiver = await start();
    const body = JSON.stringify(credoFixtures[type]);
    const res = await postCredo(receiver, body, `msg_${type}`);
    expect(res.status).toBe(200);
    const stored = await receiver.delivery(res.body.id);
    expect(stored).toMatchObject({
      source: "credo",
      status: "pending",
      eventType: type,
      idempotencyKey: `msg_${type}`,
      entityUid: credoFixtures[type].data.useCaseId,
    });
  });

  it("keys a Capturi payload without eventUid by the SHA-256 of its bytes", async () => {
    const receiver = await start();
    const body = JSON.stringify(capturiFixtures.conversationSummaryUpdatedUid);
    const res = await postCapturi(receiver, body);
    expect((await receiver.delivery(res.body.id))?.idempotencyKey).toBe(sha256Hex(body));
  });

  it.each(["00000000-0000-0000-0000-000000000000", ""])(
    "reads eventUid %j as no event id: two Uid payloads are two deliveries",
    async (eventUid) => {
      const receiver = await start();
      const uids = [crypto.randomUUID(), crypto.randomUUID()];
      const responses = [];
      for (const uid of uids) {
        const body = JSON.stringify({
          EventUid: eventUid,
          Event: "ConversationProcessed",
          Uid: uid,
        });
        const res = await postCapturi(receiver, body);
        expect(res.status).toBe(200);
        expect(res.body.duplicate).toBeFalsy();
        expect((await receiver.delivery(res.body.id))?.idempotencyKey).toBe(sha256Hex(body));
        responses.push(res.body.id);
      }
      expect(new Set(responses).size).toBe(2);
      const stored = await Promise.all(responses.map((id) => receiver.delivery(id)));
      expect(stored.map((delivery) => delivery?.entityUid)).toEqual(uids);
      expect(stored.map((delivery) => delivery?.status)).toEqual(["pending", "pending"]);
    },
  );

  it("stores a Credo AI body without `time` or `source` as pending, to be processed", async () => {
    const receiver = await start();
    const { time: _, source: __, ...envelope } = credoFixtures.use_case_name_updated;
    const res = await postCredo(receiver, JSON.stringify(envelope), "msg_no_time");
    expect(res.status).toBe(200);
    expect(await receiver.delivery(res.body.id)).toMatchObject({
      status: "pending",
      eventType: "use_case_name_updated",
    });
  });

  it("answers a duplicate 200 with duplicate: true and stores nothing new", async () => {
    const receiver = await start();
    const capturi = JSON.stringify(capturiFixtures.conversationProcessedFull);
    const credo = JSON.stringify(credoFixtures.use_case_name_updated);
    const first = [await postCapturi(receiver, capturi), await postCredo(receiver, credo, "msg_1")];
    // Svix retries with the same id and a fresh timestamp and signature.
    const again = [await postCapturi(receiver, capturi), await postCredo(receiver, credo, "msg_1")];
    for (const [index, res] of again.entries()) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ duplicate: true, id: first[index]?.body.id });
    }
    const stored = await counts(receiver);
    expect(Object.values(stored).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("stores an unknown event type as unhandled and acknowledges it", async () => {
    const receiver = await start();
    const body = JSON.stringify({ event: "ConversationDeleted", uid: crypto.randomUUID() });
    const res = await postCapturi(receiver, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "unhandled", eventType: "ConversationDeleted" });
    expect((await counts(receiver)).unhandled).toBe(1);
  });

  it("stores a payload that fails its schema as invalid, with the zod issues", async () => {
    const receiver = await start();
    const fixture = structuredClone(credoFixtures.use_case_review_task_status_updated);
    (fixture.data as { status: string }).status = "finished";
    const res = await postCredo(receiver, JSON.stringify(fixture));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("invalid");
    const stored = await receiver.delivery(res.body.id);
    expect(stored?.issues).toEqual([expect.objectContaining({ path: "data.status" })]);
  });

  it("keeps every delivery when the database is closed and opened again", async () => {
    const first = await start();
    const ids: number[] = [];
    for (const name of capturiFixtureNames) {
      ids.push((await postCapturi(first, JSON.stringify(capturiFixtures[name]))).body.id);
    }
    await first.stores.close();

    const second = await start();
    for (const id of ids) expect((await second.delivery(id))?.status).toBe("pending");
    // Duplicates are still recognised after the restart.
    const again = await postCapturi(
      second,
      JSON.stringify(capturiFixtures.conversationProcessedUid),
    );
    expect(again.body.duplicate).toBe(true);
  });

  it(`keeps only the newest ${REJECTION_LOG_SIZE} rejections, bodies cut to ${REJECTION_BODY_BYTES} bytes`, async () => {
    const receiver = await start();
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
      await receiver.inbox.recordRejection({ ...rejection, receivedAt: new Date(i) });
    }
    const [newest] = await receiver.rejections(1);
    expect(newest?.receivedAt.getTime()).toBe(REJECTION_LOG_SIZE + 4);
    expect(newest?.bodyExcerpt.length).toBe(REJECTION_BODY_BYTES);
  });

  describe("when the database fails", () => {
    it("/healthz answers 200 while the database is writable and 503 once it is not", async () => {
      const outage = await test.openWithOutage();
      const receiver = await start(outage.stores);
      expect((await receiver.request.get("/healthz")).status).toBe(200);
      outage.cut();
      const res = await receiver.request.get("/healthz");
      expect(res.status).toBe(503);
      expect(res.body.code).toBe("inbox_unwritable");
    });

    it("answers 503 inbox_unavailable with Retry-After, never a 2xx or a 500", async () => {
      const outage = await test.openWithOutage();
      const receiver = await start(outage.stores);
      outage.cut();
      const res = await postCapturi(
        receiver,
        JSON.stringify(capturiFixtures.conversationProcessedUid),
      );
      expect(res.status).toBe(503);
      expect(res.body.code).toBe("inbox_unavailable");
      expect(res.headers["retry-after"]).toBe("5");
    });
  });
});
