import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type RequestListener, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createHttpServer } from "../../src/http/create-http-server.ts";
import { openSqliteStores, type SqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import { createWebhookHandler } from "../../src/receive/create-webhook-handler.ts";
import { createHeaderRedactor } from "../../src/receive/redact-headers.ts";
import { createTestSources, TEST_CAPTURI_TOKEN } from "../helpers/create-test-receiver.ts";

/**
 * The webhook handler is a plain `(req, res, next?)` function: it serves on a bare `node:http`
 * server, inside any Express app at any mount point, and in front of `createApp`'s Express app.
 */
let stores: SqliteStores;
let dir: string;
let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

function openStores(): SqliteStores {
  dir = mkdtempSync(path.join(tmpdir(), "webhook-handler-"));
  stores = openSqliteStores(path.join(dir, "inbox.db"));
  return stores;
}

function handler() {
  return createWebhookHandler({
    sources: createTestSources(),
    inbox: openStores().inbox,
    logger: pino({ level: "silent" }),
    bodyLimitBytes: 1024 * 1024,
    redactHeaders: createHeaderRedactor({ names: ["authorization"], values: [] }),
    now: () => new Date(),
  });
}

async function listen(listener: RequestListener | Server): Promise<string> {
  server = listener instanceof Server ? listener : createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function sendCapturi(url: string) {
  return fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_CAPTURI_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ event: "ConversationProcessed", uid: crypto.randomUUID() }),
  });
}

describe("the webhook handler outside Express", () => {
  it("stores a delivery on a bare node:http server and answers what the Express route did", async () => {
    const webhooks = handler();
    const base = await listen((req, res) => webhooks(req, res));
    const res = await sendCapturi(`${base}/webhooks/capturi`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { id: number; status: string };
    expect(body.status).toBe("pending");
    const stored = await stores.inspect.getDelivery(body.id);
    expect(stored?.delivery.path).toBe("/webhooks/capturi");
  });

  it("answers 404 not_found as JSON for other paths when nothing comes after it", async () => {
    const webhooks = handler();
    const base = await listen((req, res) => webhooks(req, res));
    const res = await fetch(`${base}/elsewhere?x=1`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "not_found" });
  });

  it("mounts in any Express app below a prefix, and passes every other request on", async () => {
    const host = express();
    host.get("/hello", (_req, res) => {
      res.send("hello from the host app");
    });
    host.use("/hooks", handler());
    const base = await listen(host);

    const res = await sendCapturi(`${base}/hooks/webhooks/capturi`);
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: number };
    // The full path as sent, mount point included.
    expect((await stores.inspect.getDelivery(id))?.delivery.path).toBe("/hooks/webhooks/capturi");

    const hello = await fetch(`${base}/hello`);
    expect(await hello.text()).toBe("hello from the host app");
    const refused = await fetch(`${base}/hooks/webhooks/nope`, { method: "POST", body: "{}" });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: "unknown_source" });
  });

  it("says so, instead of waiting for the body, when a body parser read it first", async () => {
    const host = express();
    host.use(express.json());
    host.use(handler());
    const base = await listen(host);
    const res = await sendCapturi(`${base}/webhooks/capturi`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      code: "body_already_read",
      message: expect.stringContaining("mount it before any body parser"),
    });
    expect((await stores.inspect.listDeliveries({})).deliveries).toEqual([]);
  });

  it("is called before the Express app by createHttpServer, which gets only the other requests", async () => {
    const app = createApp({
      inbox: openStores().inbox,
      sources: createTestSources(),
      logger: pino({ level: "silent" }),
      bodyLimitBytes: 1024 * 1024,
    });
    const reachedExpress: string[] = [];
    // Runs for every request that Express handles: it must never see a webhook delivery.
    const seen = express();
    seen.use((req, _res, next) => {
      reachedExpress.push(req.url);
      next();
    });
    seen.use(app);
    const base = await listen(createHttpServer(Object.assign(seen, { webhooks: app.webhooks })));

    expect((await sendCapturi(`${base}/webhooks/capturi`)).status).toBe(200);
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect(reachedExpress).toEqual(["/livez"]);
  });
});
