import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.ts";
import { defineHandlers } from "../../src/handlers/define-handlers.ts";
import { type RunningReceiver, startReceiver } from "../../src/start-receiver.ts";
import { capturiFixtures, credoFixtures } from "../fixtures/index.ts";
import {
  TEST_CAPTURI_TOKEN,
  TEST_CREDO_SECRET,
  TEST_SOURCE_DEFINITIONS,
} from "../helpers/create-test-receiver.ts";
import { signCredo } from "../helpers/sign-credo.ts";
import { type FakeCapturiApi, startFakeCapturiApi } from "../helpers/start-fake-capturi-api.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../helpers/test-stores.ts";
import { readMetric } from "./read-metric.ts";

const sources = TEST_SOURCE_DEFINITIONS;
let receiver: RunningReceiver | undefined;
let inbox: TestInbox | undefined;
let api: FakeCapturiApi | undefined;
let dataDir: string;
afterEach(async () => {
  await receiver?.stop();
  await inbox?.destroy();
  await api?.close();
  receiver = inbox = api = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  dataDir = mkdtempSync(path.join(tmpdir(), "inbox-metrics-"));
  const loaded = loadConfig(
    {
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      CAPTURI_TOKENS: TEST_CAPTURI_TOKEN,
      CREDO_WEBHOOK_SECRETS: TEST_CREDO_SECRET,
      WORKER_MAX_ATTEMPTS: "1",
      ...env,
    },
    sources,
  );
  if (!loaded.ok) throw new Error(loaded.error);
  const handlers = defineHandlers(sources, {
    capturi: {
      async ConversationProcessed(_event, ctx) {
        await ctx.conversation(); // the fake API answers 204: no such conversation
      },
    },
    credo: {
      use_case_name_updated() {
        throw new Error("the CRM is down");
      },
    },
  });
  receiver = await startReceiver({
    config: loaded.value,
    sources,
    handlers,
    logger: pino({ level: "silent" }),
  });
  return `http://127.0.0.1:${receiver.port}`;
}

const post = (url: string, source: string, body: string, headers: Record<string, string>) =>
  fetch(`${url}/webhooks/${source}`, { method: "POST", headers, body });
const capturiHeaders = {
  "content-type": "application/json",
  authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
};

describe.each(STORE_KINDS)("/metrics on %s", (kind) => {
  it("counts real deliveries, attempts and API requests, and reads the gauges from the store", async () => {
    inbox = await createTestInbox(kind);
    api = await startFakeCapturiApi();
    const url = await start({ ...inbox.env, CAPTURI_API_URL: api.baseUrl });

    const uid = JSON.stringify(capturiFixtures.conversationProcessedUid);
    expect((await post(url, "capturi", uid, capturiHeaders)).status).toBe(200);
    expect((await post(url, "capturi", uid, capturiHeaders)).status).toBe(200); // duplicate
    const unknown = JSON.stringify({ event: "ConversationDeleted", uid: crypto.randomUUID() });
    expect((await post(url, "capturi", unknown, capturiHeaders)).status).toBe(200); // unhandled
    expect((await post(url, "capturi", "{not json", capturiHeaders)).status).toBe(400);
    const wrongToken = { ...capturiHeaders, authorization: "Bearer nope-nope-nope" };
    expect((await post(url, "capturi", uid, wrongToken)).status).toBe(401);
    expect((await post(url, "nobody", uid, capturiHeaders)).status).toBe(404);
    const credo = JSON.stringify(credoFixtures.use_case_name_updated);
    expect((await post(url, "credo", credo, signCredo(credo))).status).toBe(200);

    // Both attempts ended and were recorded (the credo one failed its only attempt: dead).
    const scrape = async () => (await receiver?.metrics.scrape())?.body ?? "";
    await expect
      .poll(async () => readMetric(await scrape(), "webhook_inbox_attempts_total", {}), {
        timeout: 10_000,
      })
      .toBe(2);

    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    const received = (labels: Record<string, string>) =>
      readMetric(text, "webhook_inbox_deliveries_received_total", labels);
    expect(received({ source: "capturi", outcome: "stored", code: "" })).toBe(1);
    expect(received({ source: "capturi", outcome: "duplicate", code: "" })).toBe(1);
    expect(received({ source: "capturi", outcome: "unhandled", code: "" })).toBe(1);
    expect(received({ source: "capturi", outcome: "malformed", code: "" })).toBe(1);
    expect(received({ source: "capturi", outcome: "refused", code: "invalid_token" })).toBe(1);
    // An unknown source in the URL never becomes a label of its own.
    expect(received({ source: "unknown", outcome: "refused", code: "unknown_source" })).toBe(1);
    expect(text).not.toContain('source="nobody"');
    expect(received({ source: "credo", outcome: "stored", code: "" })).toBe(1);

    // Every 2xx was timed; the refusals were not.
    expect(
      readMetric(text, "webhook_inbox_receive_duration_seconds_count", { source: "capturi" }),
    ).toBe(3); // stored, duplicate, unhandled (malformed answers 400)
    expect(
      readMetric(text, "webhook_inbox_receive_duration_seconds_count", { source: "credo" }),
    ).toBe(1);

    const attempts = (labels: Record<string, string>) =>
      readMetric(text, "webhook_inbox_attempts_total", labels);
    expect(attempts({ source: "capturi", outcome: "succeeded" })).toBe(1);
    expect(attempts({ source: "credo", outcome: "dead" })).toBe(1);
    expect(
      readMetric(text, "webhook_inbox_handler_duration_seconds_count", {
        source: "credo",
        outcome: "dead",
      }),
    ).toBe(1);
    expect(
      readMetric(text, "webhook_inbox_received_to_done_seconds_count", { source: "capturi" }),
    ).toBe(1);
    expect(
      readMetric(text, "webhook_inbox_integration_api_requests_total", { status: "204" }),
    ).toBe(1);
    expect(api.requests).toHaveLength(1);

    // Gauges from the store: by status, and nothing due is waiting.
    const status = (s: string) => readMetric(text, "webhook_inbox_deliveries", { status: s });
    expect([status("done"), status("dead"), status("unhandled"), status("malformed")]).toEqual([
      1, 1, 1, 1,
    ]);
    expect(status("pending")).toBe(0);
    expect(readMetric(text, "webhook_inbox_oldest_due_pending_age_seconds", {})).toBe(0);
    // Stored deliveries and the two stored refusals went through group commits.
    expect(readMetric(text, "webhook_inbox_commit_batch_size_sum", {})).toBeGreaterThanOrEqual(4);
    expect(readMetric(text, "webhook_inbox_leases_lost_total", {})).toBe(0);

    // Each metric says what it measures.
    for (const name of text.match(/^# TYPE (webhook_inbox_\S+)/gm) ?? []) {
      const metric = name.replace("# TYPE ", "");
      expect(text).toMatch(new RegExp(`^# HELP ${metric} \\S.+$`, "m"));
    }
  });
});
