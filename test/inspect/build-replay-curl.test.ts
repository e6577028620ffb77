import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createHttpServer } from "../../src/http/create-http-server.ts";
import { openSqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import { buildReplayCurl, type ReplayCurlOptions } from "../../src/inspect/build-replay-curl.ts";
import { credoFixtures } from "../fixtures/index.ts";
import {
  createTestSources,
  TEST_CAPTURI_TOKEN,
  TEST_CREDO_SECRET,
} from "../helpers/create-test-receiver.ts";
import { type ListeningReceiver, listenTestReceiver } from "../helpers/listen-test-receiver.ts";

const run = promisify(execFile);
let receiver: ListeningReceiver;
let scratch: string;
beforeAll(async () => {
  receiver = await listenTestReceiver();
  scratch = mkdtempSync(path.join(tmpdir(), "curl-replay-"));
});
afterAll(async () => {
  await receiver.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Quotes, `$(…)`, backticks, backslashes, newlines and a leading @: what a shell would trip on. */
function hostileCredoBody(): Buffer {
  const event = structuredClone(credoFixtures.use_case_review_comment);
  event.data.comment = `It's "done" $(touch ${scratch}/pwned) \`touch ${scratch}/pwned2\` \\n\\' ''\n@/etc/passwd\n`;
  return Buffer.from(`${JSON.stringify(event, null, 2)}\n`);
}

function credoDelivery(body: Buffer, idempotencyKey = `msg_${Date.now()}${Math.random()}`) {
  return {
    source: "credo",
    body,
    headers: { "content-type": "application/json" },
    authMethod: "standard-webhooks",
    idempotencyKey,
  } satisfies ReplayCurlOptions["delivery"];
}

/**
 * Runs the command as a user pastes it, into bash's input (not `bash -c`, whose one argument
 * Linux caps at 128 KiB as it does curl's); returns the receiver's status and answer.
 */
async function paste(command: string, env: Record<string, string> = {}) {
  const running = run("bash", ["-s"], {
    cwd: scratch,
    env: { PATH: process.env.PATH, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  running.child.stdin?.end(command);
  const { stdout } = await running;
  const lines = stdout.trimEnd().split("\n");
  const status = Number(lines.pop());
  return { status, answer: JSON.parse(lines.join("\n")) as { id: number; duplicate?: boolean } };
}

function storedBody(id: number): Buffer {
  const row = receiver.db.prepare("SELECT body FROM deliveries WHERE id = ?").get(id) as {
    body: Buffer;
  };
  return row.body;
}

describe("Copy as curl: the command a delivery page offers", () => {
  it("sends the stored bytes, signed now by the development secret, and bash runs nothing in the body", async () => {
    const body = hostileCredoBody();
    const curl = buildReplayCurl({
      delivery: credoDelivery(body),
      url: `${receiver.baseUrl}/webhooks/credo`,
      developmentSecret: TEST_CREDO_SECRET,
      now: new Date(),
    });
    expect(curl.auth).toBe("signed");
    expect(curl.command).not.toContain(TEST_CREDO_SECRET);
    const { status, answer } = await paste(curl.command);
    expect(status).toBe(200);
    expect(storedBody(answer.id).equals(body)).toBe(true);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it("is signed the way the reference standardwebhooks package verifies", () => {
    const body = hostileCredoBody();
    const now = new Date();
    const curl = buildReplayCurl({
      delivery: credoDelivery(body, "msg_2x7Yq"),
      url: "http://localhost:3000/webhooks/credo",
      developmentSecret: TEST_CREDO_SECRET,
      now,
    });
    const header = (name: string) =>
      new RegExp(`-H '${name}: ([^']+)'`).exec(curl.command)?.[1] ?? "";
    expect(header("webhook-id")).toBe("msg_2x7Yq");
    expect(header("webhook-timestamp")).toBe(String(Math.floor(now.getTime() / 1000)));
    const headers = Object.fromEntries(
      ["webhook-id", "webhook-timestamp", "webhook-signature"].map((n) => [n, header(n)]),
    );
    expect(() =>
      new Webhook(TEST_CREDO_SECRET).verify(body.toString("utf8"), headers),
    ).not.toThrow();
  });

  it("keeps the stored webhook-id, so the same receiver answers a duplicate, unless asked for a new one", async () => {
    const delivery = credoDelivery(hostileCredoBody());
    const options = {
      delivery,
      url: `${receiver.baseUrl}/webhooks/credo`,
      developmentSecret: TEST_CREDO_SECRET,
      now: new Date(),
    };
    const first = await paste(buildReplayCurl(options).command);
    const again = await paste(buildReplayCurl(options).command);
    expect(again.answer).toMatchObject({ id: first.answer.id, duplicate: true });
    const fresh = buildReplayCurl({ ...options, newMessageId: true });
    expect(fresh.messageId).not.toBe(delivery.idempotencyKey);
    const other = await paste(fresh.command);
    expect(other.answer.id).not.toBe(first.answer.id);
    expect(other.answer.duplicate).not.toBe(true);
  });

  it("without a development secret, signs in the shell with $WEBHOOK_SECRET", async () => {
    const body = hostileCredoBody();
    const curl = buildReplayCurl({
      delivery: credoDelivery(body),
      url: `${receiver.baseUrl}/webhooks/credo`,
      developmentSecret: undefined,
      now: new Date(),
    });
    expect(curl.auth).toBe("sign-yourself");
    expect(curl.command).toContain("WEBHOOK_SECRET#whsec_");
    const { status, answer } = await paste(curl.command, { WEBHOOK_SECRET: TEST_CREDO_SECRET });
    expect(status).toBe(200);
    expect(storedBody(answer.id).equals(body)).toBe(true);
    // A wrong secret is refused: the shell's signature is really checked.
    const wrong = curl.command;
    expect(
      (await paste(wrong, { WEBHOOK_SECRET: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAA" })).status,
    ).toBe(401);
  });

  /** Pastes the command signed by the development secret, then signed in the shell. */
  async function expectStoredAsSentEitherWay(body: Buffer, expectedStatus: number) {
    for (const developmentSecret of [TEST_CREDO_SECRET, undefined]) {
      const curl = buildReplayCurl({
        delivery: credoDelivery(body),
        url: `${receiver.baseUrl}/webhooks/credo`,
        developmentSecret,
        now: new Date(),
      });
      const { status, answer } = await paste(curl.command, { WEBHOOK_SECRET: TEST_CREDO_SECRET });
      expect(status).toBe(expectedStatus);
      expect(storedBody(answer.id).equals(body)).toBe(true);
    }
  }

  it("carries bytes that are not UTF-8 unchanged, signed either way", async () => {
    const body = Buffer.concat([
      Buffer.from('{"comment":"'),
      Buffer.from([0xff, 0xfe, 0x00]),
      Buffer.from('"}'),
    ]);
    // Authenticated, then refused as not JSON: it was stored as sent.
    await expectStoredAsSentEitherWay(body, 400);
  });

  it("sends a body over 128 KiB, which one curl argument cannot hold, byte for byte, signed either way", async () => {
    const event = structuredClone(credoFixtures.use_case_review_comment);
    // Text that varies, so that nothing along the way could shorten it unnoticed.
    event.data.comment = Array.from({ length: 8_000 }, (_, i) => `line ${i}: it's "é" $x\n`).join(
      "",
    );
    const body = Buffer.from(JSON.stringify(event));
    expect(body.length).toBeGreaterThan(200 * 1024);
    await expectStoredAsSentEitherWay(body, 200);
  });

  it("asks for a Capturi token in $CAPTURI_TOKEN, never writing the real one", async () => {
    const body = Buffer.from(JSON.stringify({ event: "ConversationProcessed", uid: "it's-1" }));
    const curl = buildReplayCurl({
      delivery: {
        source: "capturi",
        body,
        headers: { "content-type": "application/json", authorization: "[redacted]" },
        authMethod: "header-token",
        idempotencyKey: null,
      },
      url: `${receiver.baseUrl}/webhooks/capturi`,
      developmentSecret: undefined,
      now: new Date(),
    });
    expect(curl).toMatchObject({ auth: "token-placeholder", tokenVariable: "CAPTURI_TOKEN" });
    expect(curl.command).toContain('-H "authorization: Bearer $CAPTURI_TOKEN"');
    expect((await paste(curl.command)).status).toBe(401);
    const { status, answer } = await paste(curl.command, { CAPTURI_TOKEN: TEST_CAPTURI_TOKEN });
    expect(status).toBe(200);
    expect(storedBody(answer.id).equals(body)).toBe(true);
  });

  it("sends the token in the header the Capturi source is configured to read, Bearer only in authorization", async () => {
    // A receiver whose Capturi source reads CAPTURI_TOKEN_HEADER=X-Capturi-Token.
    const dir = mkdtempSync(path.join(tmpdir(), "curl-token-header-"));
    const stores = openSqliteStores(path.join(dir, "inbox.db"));
    const server = createHttpServer(
      createApp({
        inbox: stores.inbox,
        sources: createTestSources({ capturi: { tokenHeader: "x-capturi-token" } }),
        logger: pino({ level: "silent" }),
        bodyLimitBytes: 5 * 1024 * 1024,
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const body = Buffer.from(JSON.stringify({ event: "ConversationProcessed", uid: "c-2" }));
      const curl = buildReplayCurl({
        delivery: {
          source: "capturi",
          body,
          headers: { "content-type": "application/json", "x-capturi-token": "[redacted]" },
          authMethod: "header-token",
          idempotencyKey: null,
        },
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/capturi`,
        developmentSecret: undefined,
        tokenHeader: "x-capturi-token",
        now: new Date(),
      });
      expect(curl.command).toContain('-H "x-capturi-token: $CAPTURI_TOKEN"');
      expect(curl.command).not.toContain("authorization");
      const { status, answer } = await paste(curl.command, { CAPTURI_TOKEN: TEST_CAPTURI_TOKEN });
      expect(status).toBe(200);
      const row = stores.db.prepare("SELECT body FROM deliveries WHERE id = ?").get(answer.id) as {
        body: Buffer;
      };
      expect(row.body.equals(body)).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
