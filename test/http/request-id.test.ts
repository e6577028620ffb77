import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.ts";
import { defineHandlers } from "../../src/handlers/define-handlers.ts";
import { createLogger } from "../../src/log/create-logger.ts";
import { type RunningReceiver, startReceiver } from "../../src/start-receiver.ts";
import { capturiFixtures } from "../fixtures/index.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  TEST_SOURCE_DEFINITIONS,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const capturiHeaders = {
  "content-type": "application/json",
  authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
};

let receiver: TestReceiver | undefined;
let running: RunningReceiver | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  receiver?.close();
  await running?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  receiver = running = dataDir = undefined;
});

const body = () =>
  JSON.stringify({ ...capturiFixtures.conversationProcessedUid, eventUid: crypto.randomUUID() });

describe("request ids", () => {
  it("keeps a sender's x-request-id, answers with it, stores it with the delivery and logs it", async () => {
    receiver = createTestReceiver();
    const res = await receiver.request
      .post("/webhooks/capturi")
      .set({ ...capturiHeaders, "x-request-id": "Root=1-67891233-abcdef012345678912345678" })
      .send(body());
    expect(res.status).toBe(200);
    expect(res.headers["x-request-id"]).toBe("Root=1-67891233-abcdef012345678912345678");
    expect((await receiver.delivery(res.body.id))?.requestId).toBe(
      "Root=1-67891233-abcdef012345678912345678",
    );
    const line = receiver.logs.find((entry) => entry.includes('"msg":"delivery"')) ?? "";
    expect(JSON.parse(line).requestId).toBe("Root=1-67891233-abcdef012345678912345678");
  });

  it("generates one when none is sent or the one sent is not an id, on every route", async () => {
    receiver = createTestReceiver();
    const refused = await receiver.request
      .post("/webhooks/capturi")
      .set("content-type", "application/json")
      .send(body());
    expect(refused.status).toBe(401);
    expect(refused.headers["x-request-id"]).toMatch(UUID);
    for (const given of ["x".repeat(129), 'a "quoted" id', "id\twith\ttabs", ""]) {
      const res = await receiver.request.get("/livez").set("x-request-id", given);
      expect(res.headers["x-request-id"]).toMatch(UUID);
    }
    const missing = await receiver.request.get("/nothing-here");
    expect(missing.status).toBe(404);
    expect(missing.headers["x-request-id"]).toMatch(UUID);
    const first = await receiver.request.get("/livez");
    const second = await receiver.request.get("/livez");
    expect(first.headers["x-request-id"]).not.toBe(second.headers["x-request-id"]);
  });

  it("is on the worker's lines for that delivery, the handler's own included", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "inbox-request-id-"));
    const loaded = loadConfig(
      { DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", CAPTURI_TOKENS: TEST_CAPTURI_TOKEN },
      TEST_SOURCE_DEFINITIONS,
    );
    if (!loaded.ok) throw new Error(loaded.error);
    const logs: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: "info",
      destination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    });
    const handlers = defineHandlers(TEST_SOURCE_DEFINITIONS, {
      capturi: { ConversationProcessed: (_event, ctx) => ctx.log.info("handled") },
    });
    running = await startReceiver({
      config: loaded.value,
      sources: TEST_SOURCE_DEFINITIONS,
      handlers,
      logger,
    });
    const res = await fetch(`http://127.0.0.1:${running.port}/webhooks/capturi`, {
      method: "POST",
      headers: { ...capturiHeaders, "x-request-id": "req-7f3a" },
      body: body(),
    });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: number };
    await expect.poll(() => logs.some((line) => line.msg === "processed")).toBe(true);
    const aboutIt = logs.filter((line) => line.deliveryId === id || line.msg === "delivery");
    expect(aboutIt.map((line) => line.msg)).toEqual(["delivery", "handled", "processed"]);
    for (const line of aboutIt) expect(line.requestId).toBe("req-7f3a");
  });
});
