import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/inbox/open-database.ts";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "../helpers/create-test-receiver.ts";
import { type ReceiverProcess, startReceiverProcess } from "../helpers/start-receiver-process.ts";

const SENDERS = 16;
/** SIGKILL once this many deliveries were acknowledged: mid-load, with more in flight. */
const KILL_AFTER_ACKS = 150;

let receiver: ReceiverProcess | undefined;
let dataDir: string;
afterEach(async () => {
  await receiver?.stop("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

interface Ack {
  eventUid: string;
  id: number;
}

/** Posts fresh Capturi deliveries until the receiver stops answering; returns every 2xx. */
async function sendUntilDown(baseUrl: string, acks: Ack[]): Promise<void> {
  for (;;) {
    const eventUid = randomUUID();
    const body = JSON.stringify({ eventUid, event: "ConversationProcessed", uid: randomUUID() });
    let res: Response;
    try {
      res = await fetch(`${baseUrl}/webhooks/capturi`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
        },
        body,
      });
    } catch {
      return; // Killed: connection refused or reset.
    }
    if (res.ok) acks.push({ eventUid, id: ((await res.json()) as { id: number }).id });
    else await res.body?.cancel();
  }
}

describe("SIGKILL under load", () => {
  it("loses no delivery that was acknowledged, and restarts on the same file", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "inbox-crash-"));
    const env = {
      DATA_DIR: dataDir,
      CAPTURI_TOKENS: TEST_CAPTURI_TOKEN,
      CREDO_WEBHOOK_SECRETS: TEST_CREDO_SECRET,
    };
    const started = await startReceiverProcess(env);
    receiver = started;
    const acks: Ack[] = [];
    const killer = setInterval(() => {
      if (acks.length >= KILL_AFTER_ACKS) started.child.kill("SIGKILL");
    }, 1);
    await Promise.all(Array.from({ length: SENDERS }, () => sendUntilDown(started.baseUrl, acks)));
    clearInterval(killer);
    // `stop()` waits for an exit that already happened after a signal: wait here instead.
    const { child } = started;
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
    receiver = undefined;
    expect(child.signalCode).toBe("SIGKILL");
    expect(acks.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    receiver = await startReceiverProcess(env);
    expect((await fetch(`${receiver.baseUrl}/healthz`)).status).toBe(200);
    await receiver.stop();

    const db = openDatabase(path.join(dataDir, "inbox.db"));
    const stored = new Map(
      db
        .prepare("SELECT idempotency_key AS key, id FROM deliveries WHERE source = 'capturi'")
        .all()
        .map((row) => [(row as { key: string }).key, (row as { id: number }).id]),
    );
    db.close();
    const lost = acks.filter((ack) => stored.get(ack.eventUid) !== ack.id);
    expect(lost).toEqual([]);
  });
});
