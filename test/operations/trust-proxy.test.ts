import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import supertest from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { openSqliteStores, type SqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import { createLogger } from "../../src/log/create-logger.ts";
import { capturiFixtures } from "../fixtures/index.ts";
import { createTestSources, TEST_CAPTURI_TOKEN } from "../helpers/create-test-receiver.ts";

const INSPECT_TOKEN = "inspect-token-0123456789abcdef";
const opened: { stores: SqliteStores; dir: string }[] = [];
afterEach(async () => {
  for (const { stores, dir } of opened.splice(0)) {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The real app behind supertest, whose requests come from 127.0.0.1 like a proxy on this host. */
function appBehind(trustProxy: boolean | number | string) {
  const dir = mkdtempSync(path.join(tmpdir(), "inbox-proxy-"));
  const stores = openSqliteStores(path.join(dir, "inbox.db"));
  opened.push({ stores, dir });
  const logs: string[] = [];
  const app = createApp({
    inbox: stores.inbox,
    sources: createTestSources(),
    logger: createLogger({
      level: "info",
      destination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    }),
    bodyLimitBytes: 1024 * 1024,
    inspect: { store: stores.inspect, token: INSPECT_TOKEN, trustLoopback: true },
    trustProxy,
  });
  return { request: supertest(app), logs };
}

const signIn = (request: ReturnType<typeof supertest>, headers: Record<string, string>) =>
  request
    .post("/inspect/login")
    .set({ host: "inbox.example.com", ...headers })
    .type("form")
    .send({ token: INSPECT_TOKEN });

describe("TRUST_PROXY", () => {
  it("marks the inspect cookie Secure behind a TLS proxy it trusts, and only then", async () => {
    const trusted = appBehind("loopback");
    const behindTls = await signIn(trusted.request, { "x-forwarded-proto": "https" });
    expect(behindTls.status).toBe(303);
    expect(String(behindTls.headers["set-cookie"]?.[0])).toMatch(/; Secure/);

    const untrusted = appBehind(false);
    const claimed = await signIn(untrusted.request, { "x-forwarded-proto": "https" });
    expect(String(claimed.headers["set-cookie"]?.[0])).not.toMatch(/Secure/);
  });

  it("logs the client's address from X-Forwarded-For, but /inspect still looks at the socket", async () => {
    const { request, logs } = appBehind(true);
    const delivered = await request
      .post("/webhooks/capturi")
      .set({
        "content-type": "application/json",
        authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
        "x-forwarded-for": "203.0.113.9",
      })
      .send(JSON.stringify(capturiFixtures.conversationProcessedUid));
    expect(delivered.status).toBe(200);
    const line = JSON.parse(logs.find((entry) => entry.includes('"msg":"delivery"')) ?? "{}");
    expect(line.remoteAddress).toBe("203.0.113.9");

    // Forwarded for a loopback address or not: a request through a proxy is not a local one.
    for (const forwardedFor of ["203.0.113.9", "127.0.0.1"]) {
      const page = await request
        .get("/inspect")
        .set({ host: "localhost", "x-forwarded-for": forwardedFor });
      expect(page.status).toBe(401);
      expect(page.body.code).toBe("inspect_token_required");
    }
    // The same socket without proxy headers is this machine's browser.
    expect((await request.get("/inspect").set({ host: "localhost" })).status).toBe(200);
  });

  it("reads true, false, a hop count or a list of addresses, and names the variable when it is wrong", () => {
    const trustOf = (value: string) => {
      const loaded = loadConfig({ TRUST_PROXY: value });
      return loaded.ok ? loaded.value.trustProxy : loaded.error;
    };
    expect(trustOf("true")).toBe(true);
    expect(trustOf("false")).toBe(false);
    expect(trustOf("2")).toBe(2);
    expect(trustOf("loopback, 10.0.0.0/8")).toBe("loopback, 10.0.0.0/8");
    expect(trustOf("yes please!")).toMatch(
      /^Invalid environment:\n {2}TRUST_PROXY: use true, false/,
    );
    const unset = loadConfig({});
    expect(unset.ok && unset.value.trustProxy).toBe(false);
  });
});
