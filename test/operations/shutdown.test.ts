import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { capturiFixtures } from "../fixtures/index.ts";
import { type ReceiverProcess, startReceiverProcess } from "../helpers/start-receiver-process.ts";

let receiver: ReceiverProcess | undefined;
afterEach(async () => {
  await receiver?.stop("SIGKILL");
  receiver = undefined;
});

const ENTRY = "test/operations/fixtures/receiver-with-stubborn-handler.ts";

describe("shutting down (a real process)", () => {
  it("turns /readyz 503 at once, keeps receiving during the delay, and exits after the deadline although a handler ignores its signal", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "inbox-shutdown-"));
    receiver = await startReceiverProcess(
      { DATA_DIR: dataDir, SHUTDOWN_DELAY_SECONDS: "1", SHUTDOWN_DEADLINE_SECONDS: "1" },
      ENTRY,
    );
    const { baseUrl } = receiver;
    const token = JSON.parse(readFileSync(path.join(dataDir, "dev-secrets.json"), "utf8"))
      .capturiToken as string;
    const post = (eventUid: string) =>
      fetch(`${baseUrl}/webhooks/capturi`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ ...capturiFixtures.conversationProcessedUid, eventUid }),
      });
    expect((await post(crypto.randomUUID())).status).toBe(200);
    await expect.poll(() => receiver?.stdout(), { timeout: 10_000 }).toContain("stubborn handler");
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);

    const exited = receiver.stop("SIGTERM");
    const startedAt = Date.now();
    await expect.poll(() => receiver?.stdout()).toContain('"msg":"shutting down"');
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: "draining" });
    expect((await fetch(`${baseUrl}/livez`)).status).toBe(200);
    // The listener is still open during SHUTDOWN_DELAY_SECONDS: a late delivery is still stored.
    expect((await post(crypto.randomUUID())).status).toBe(200);

    expect(await exited).toBe(0);
    // Delay 1 s + deadline 1 s, not the handler's 20 s (a generous bound for a loaded machine).
    expect(Date.now() - startedAt).toBeLessThan(12_000);
    expect(receiver.stdout()).toMatch(/"finished":0,"released":2[^\n]*"msg":"stopped"/);

    // Both deliveries (the late one was claimed during the delay) were given back: it runs again after the next start.
    const db = new Database(path.join(dataDir, "inbox.db"), { readonly: true });
    const statuses = db.prepare("SELECT status FROM deliveries ORDER BY id").pluck().all();
    db.close();
    expect(statuses).toEqual(["pending", "pending"]);
  });
});
