import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { createSqliteInbox } from "../../../src/inbox/sqlite/create-sqlite-inbox.ts";
import { openDatabase } from "../../../src/inbox/sqlite/open-database.ts";
import { createLogger } from "../../../src/log/create-logger.ts";
import type { CapturiWebhookConfig } from "../../../tools/sandbox/trigger/capturi-webhook-config.ts";
import { createTestSources, TEST_CAPTURI_TOKEN } from "../../helpers/create-test-receiver.ts";
import { type SandboxServer, startSandboxServer } from "../../helpers/start-sandbox-server.ts";

const json = { "content-type": "application/json" };

/** The real receiver app (createApp over a SQLite file) listening on loopback. */
async function startRealReceiver() {
  const dir = mkdtempSync(path.join(tmpdir(), "sandbox-receiver-"));
  const db = openDatabase(path.join(dir, "inbox.db"));
  const app = createApp({
    inbox: createSqliteInbox(db),
    sources: createTestSources(),
    logger: createLogger({ level: "silent" }),
    bodyLimitBytes: 5 * 1024 * 1024,
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rows: () =>
      db
        .prepare(
          "SELECT source, event_type, status, payload_mode, entity_uid FROM deliveries ORDER BY id",
        )
        .all(),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function capturiWebhook(url: string): CapturiWebhookConfig {
  return {
    name: "test",
    url: `${url}/webhooks/capturi`,
    method: "POST",
    headers: { Authorization: `Bearer ${TEST_CAPTURI_TOKEN}` },
    mode: "uid",
    casing: "camel",
    events: [],
  };
}

async function waitUntilSettled(server: SandboxServer, count: number) {
  for (;;) {
    const records = server.sandbox.log.all();
    if (records.length >= count && records.every((record) => record.status !== "pending"))
      return records;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the sandbox over HTTP", () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it("delivers triggered events of both providers to the real receiver, which accepts them", async () => {
    const receiver = await startRealReceiver();
    closers.push(receiver.close);
    const server = await startSandboxServer({
      capturi: { webhooks: [capturiWebhook(receiver.url)], integrationToken: null },
    });
    closers.push(server.close);
    server.sandbox.subscriptions.create({
      description: "test",
      url: `${receiver.url}/webhooks/credo`,
      event_types: ["use_case_review_comment"],
      authentication_method: "none",
      event_type_prefix: "acme",
    });

    const credo = await fetch(`${server.baseUrl}/trigger`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ source: "credo", event: "use_case_review_comment" }),
    });
    const capturi = await fetch(`${server.baseUrl}/trigger`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        source: "capturi",
        event: "ConversationSummaryUpdated",
        mode: "full",
        casing: "pascal",
      }),
    });
    expect(credo.status).toBe(202);
    expect(capturi.status).toBe(202);
    await waitUntilSettled(server, 2);

    expect(receiver.rows()).toEqual([
      expect.objectContaining({
        source: "credo",
        event_type: "use_case_review_comment",
        status: "pending",
      }),
      expect.objectContaining({
        source: "capturi",
        event_type: "ConversationSummaryUpdated",
        status: "pending",
        payload_mode: "full",
      }),
    ]);
    const log = (await (await fetch(`${server.baseUrl}/deliveries`)).json()) as {
      deliveries: { status: string; lastResponse: { status: number } }[];
    };
    expect(
      log.deliveries.map((delivery) => [delivery.status, delivery.lastResponse.status]),
    ).toEqual([
      ["delivered", 200],
      ["delivered", 200],
    ]);
  });

  it("serves the conversations it generated on the Integration API, 204 for unknown uids, and checks the token", async () => {
    const server = await startSandboxServer({
      capturi: {
        webhooks: [capturiWebhook("http://127.0.0.1:9")],
        integrationToken: TEST_CAPTURI_TOKEN,
      },
    });
    closers.push(server.close);
    const triggered = (await (
      await fetch(`${server.baseUrl}/trigger`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ source: "capturi", event: "ConversationProcessed" }),
      })
    ).json()) as { deliveries: { id: string }[] };
    const body = JSON.parse(
      server.sandbox.log.get(triggered.deliveries[0]?.id ?? "")?.body ?? "{}",
    );
    const url = (uid: string) =>
      `${server.baseUrl}/capturi/integrations/conversations/${uid}?api-version=2`;

    const found = await fetch(url(body.uid), { headers: { authorization: TEST_CAPTURI_TOKEN } });
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ uid: body.uid, state: "Success" });

    const unknown = await fetch(url("61a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"), {
      headers: { authorization: `Bearer ${TEST_CAPTURI_TOKEN}` },
    });
    expect(unknown.status).toBe(204);

    expect((await fetch(url(body.uid))).status).toBe(401);
    expect((await fetch(url(body.uid), { headers: { authorization: "wrong" } })).status).toBe(403);
  });

  it("keeps subscriptions and pending retries across a restart of the sandbox", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "sandbox-state-"));
    // The first sandbox retries slowly enough that the delivery is still pending when it stops.
    const first = await startSandboxServer({ stateDir, retryScale: 1 });
    first.sandbox.subscriptions.create({
      description: "later",
      url: "http://127.0.0.1:9/webhooks/credo",
      event_types: ["use_case_name_updated"],
      authentication_method: "none",
    });
    await fetch(`${first.baseUrl}/trigger`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        source: "credo",
        event: "use_case_name_updated",
        eventId: "msg_survivor",
      }),
    });
    for (;;) {
      if (first.sandbox.log.all()[0]?.attempts.length === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await first.close();

    const second = await startSandboxServer({ stateDir, retryScale: 1 });
    closers.push(second.close);
    const [subscription] = second.sandbox.subscriptions.list();
    const [pending] = second.sandbox.log.all();
    expect(subscription?.attributes.description).toBe("later");
    expect(pending).toMatchObject({ messageId: "msg_survivor", status: "pending", retriesUsed: 1 });
  });

  it("answers a malformed trigger with a JSON error that says what to send", async () => {
    const server = await startSandboxServer();
    closers.push(server.close);
    const response = await fetch(`${server.baseUrl}/trigger`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ source: "svix" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: "invalid_trigger",
      message: expect.stringContaining("source"),
    });
  });
});
