import { afterEach, describe, expect, it } from "vitest";
import type { ConversationResult } from "../../../src/sources/capturi/conversation-context.ts";
import { capturiFixtures } from "../../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../../helpers/create-test-receiver.ts";
import { createWorkerHarness, eventually } from "../../helpers/create-worker-harness.ts";
import { type FakeCapturiApi, startFakeCapturiApi } from "../../helpers/start-fake-capturi-api.ts";
import { countRows } from "../../helpers/stored.ts";

const conversation = capturiFixtures.conversationProcessedFull.entity;
let receiver: TestReceiver;
let api: FakeCapturiApi;
let stopWorker: () => Promise<unknown>;
afterEach(async () => {
  await stopWorker();
  await api.close();
  receiver.close();
});

/** A receiver, a fake Integration API, and a worker whose handler records what ctx.conversation() gave. */
async function start() {
  receiver = createTestReceiver();
  api = await startFakeCapturiApi();
  const results: ConversationResult[] = [];
  const { worker, close } = createWorkerHarness({
    databasePath: receiver.databasePath,
    capturiApiUrl: api.baseUrl,
    handlers: {
      capturi: {
        async ConversationProcessed(_event, ctx) {
          results.push(await ctx.conversation());
        },
      },
    },
    worker: { concurrency: 8 },
  });
  stopWorker = async () => {
    await worker.stop(1_000);
    close();
  };
  return { worker, results };
}

async function post(body: unknown): Promise<number> {
  const res = await receiver.request
    .post("/webhooks/capturi")
    .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
    .send(JSON.stringify(body));
  return res.body.id;
}

function version(lastChanged: string, subject: string) {
  return { ...structuredClone(conversation), lastChanged, subject };
}

function snapshotSubject(): string {
  const row = receiver.db
    .prepare("SELECT conversation FROM conversation_snapshots WHERE uid = ?")
    .get(conversation.uid);
  return JSON.parse((row as { conversation: string }).conversation).subject;
}

const done = () => countRows(receiver.db, "deliveries", "status != 'done'") === 0;

describe("ctx.conversation()", () => {
  it("fetches a Uid payload's conversation from the Integration API and stores a snapshot", async () => {
    const { worker, results } = await start();
    api.addConversation(conversation.uid, conversation);
    await post({
      eventUid: crypto.randomUUID(),
      event: "ConversationProcessed",
      uid: conversation.uid,
    });
    worker.start();
    await eventually(done);
    expect(results).toEqual([
      {
        found: true,
        conversation: expect.objectContaining({ subject: conversation.subject }),
        origin: "api",
      },
    ]);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({
      path: `/audio/integrations/conversations/${conversation.uid}`,
      query: { "api-version": "2" },
    });
    expect(snapshotSubject()).toBe(conversation.subject);
  });

  it("answers { found: false } when the API answers 204, and the delivery is done", async () => {
    const { worker, results } = await start();
    await post({
      eventUid: crypto.randomUUID(),
      event: "ConversationProcessed",
      uid: crypto.randomUUID(),
    });
    worker.start();
    await eventually(done);
    expect(results).toEqual([{ found: false }]);
  });

  it("shares one request between handlers asking for the same uid at the same time", async () => {
    const { worker, results } = await start();
    api.script(conversation.uid, { status: 200, body: conversation, delayMs: 200 });
    for (let i = 0; i < 5; i++) {
      await post({
        eventUid: crypto.randomUUID(),
        event: "ConversationProcessed",
        uid: conversation.uid,
      });
    }
    worker.start();
    await eventually(done);
    expect(results).toHaveLength(5);
    expect(api.requests).toHaveLength(1);
  });

  it("never replaces a snapshot by an older lastChanged (out-of-order deliveries)", async () => {
    const { worker, results } = await start();
    const newer = version("2025-03-04T10:00:00.0000000+00:00", "newer");
    const older = version("2025-03-04T09:00:00.0000000+00:00", "older");
    await post({ eventUid: crypto.randomUUID(), event: "ConversationProcessed", entity: newer });
    worker.start();
    await eventually(done);
    await post({ eventUid: crypto.randomUUID(), event: "ConversationProcessed", entity: older });
    await eventually(done);
    expect(snapshotSubject()).toBe("newer");
    expect(results.map((r) => r.found && [r.origin, r.conversation.subject])).toEqual([
      ["payload", "newer"],
      ["snapshot", "newer"],
    ]);
    // A newer version still wins.
    await post({
      eventUid: crypto.randomUUID(),
      event: "ConversationProcessed",
      entity: version("2025-03-05T08:00:00Z", "newest"),
    });
    await eventually(done);
    expect(snapshotSubject()).toBe("newest");
  });

  it("fails the attempt (to be retried) when the API refuses, without leaking the token", async () => {
    const { worker } = await start();
    api.script(conversation.uid, { status: 403, body: { title: "Forbidden", status: 403 } });
    const id = await post({
      eventUid: crypto.randomUUID(),
      event: "ConversationProcessed",
      uid: conversation.uid,
    });
    worker.start();
    await eventually(
      () => countRows(receiver.db, "attempts", `delivery_id = ${id} AND outcome = 'failed'`) >= 1,
    );
    const { error } = receiver.db
      .prepare("SELECT error FROM attempts WHERE delivery_id = ?")
      .get(id) as { error: string };
    expect(error).toContain("403");
    expect(error).not.toContain("capturi-api-token");
  });

  it("says that the client's retries happened within the one attempt the page shows", async () => {
    const { worker } = await start();
    api.script(conversation.uid, { destroy: true });
    const id = await post({
      eventUid: crypto.randomUUID(),
      event: "ConversationProcessed",
      uid: conversation.uid,
    });
    worker.start();
    await eventually(
      () => countRows(receiver.db, "attempts", `delivery_id = ${id} AND outcome = 'failed'`) >= 1,
    );
    const { error } = receiver.db
      .prepare("SELECT error FROM attempts WHERE delivery_id = ? AND number = 1")
      .get(id) as { error: string };
    expect(error).toMatch(
      new RegExp(
        `^Conversation ${conversation.uid} could not be fetched in this processing attempt: GET ${api.baseUrl}/integrations/conversations/${conversation.uid} got no answer to 2 requests \\(the HTTP client's own retries, within one call\\); last: fetch failed`,
      ),
    );
  });
});
