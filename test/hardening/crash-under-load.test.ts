import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "../helpers/create-test-receiver.ts";
import { type ReceiverProcess, startReceiverProcess } from "../helpers/start-receiver-process.ts";

const FIXTURE = "test/hardening/fixtures/receiver-with-counting-handlers.ts";
const SENDERS = 16;
/** SIGKILL once this many deliveries were acknowledged: mid-load, with more in flight. */
const KILL_AFTER_ACKS = 150;
const WORKER_CONCURRENCY = 4;
/** Looks at the store this many times at most while the worker catches up after the restart. */
const MAX_POLLS = 600;

let receiver: ReceiverProcess | undefined;
let dataDir: string;
afterEach(async () => {
  await receiver?.stop("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

/** One delivery as the sender keeps it: the same bytes go out again on a retry. */
interface Sent {
  eventUid: string;
  body: string;
  /** The id of the first 2xx; undefined when the answer never came (the receiver was killed). */
  ackedId?: number;
}

interface Answer {
  id: number;
  duplicate: boolean;
}

function post(baseUrl: string, sent: Sent): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/capturi`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` },
    body: sent.body,
  });
}

/** Posts fresh Capturi deliveries until the receiver stops answering. */
async function sendUntilDown(baseUrl: string, sent: Sent[]): Promise<void> {
  for (;;) {
    const eventUid = randomUUID();
    const delivery: Sent = {
      eventUid,
      body: JSON.stringify({ eventUid, event: "ConversationProcessed", uid: randomUUID() }),
    };
    sent.push(delivery);
    let res: Response;
    try {
      res = await post(baseUrl, delivery);
    } catch {
      return; // Killed: connection refused or reset; this delivery's answer is lost.
    }
    if (res.ok) delivery.ackedId = ((await res.json()) as Answer).id;
    else await res.body?.cancel();
  }
}

/** The sender's retries: every delivery again, a few at a time; each must be answered 2xx now. */
async function retryAll(baseUrl: string, sent: Sent[]): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  const queue = [...sent];
  const retryOne = async (): Promise<void> => {
    for (let next = queue.pop(); next; next = queue.pop()) {
      const res = await post(baseUrl, next);
      expect(res.status).toBe(200);
      answers.set(next.eventUid, (await res.json()) as Answer);
    }
  };
  await Promise.all(Array.from({ length: 8 }, retryOne));
  return answers;
}

async function waitUntilAllDone(databasePath: string): Promise<void> {
  const db = new Database(databasePath, { readonly: true });
  try {
    const unfinished = db.prepare("SELECT count(*) AS n FROM deliveries WHERE status <> 'done'");
    for (let poll = 0; poll < MAX_POLLS; poll += 1) {
      if ((unfinished.get() as { n: number }).n === 0) return;
      await sleep(50);
    }
    throw new Error(`deliveries still unfinished after ${MAX_POLLS} polls`);
  } finally {
    db.close();
  }
}

function readStore(databasePath: string) {
  const db = new Database(databasePath, { readonly: true });
  const deliveries = db
    .prepare("SELECT idempotency_key AS key, id, status FROM deliveries WHERE source = 'capturi'")
    .all() as { key: string; id: number; status: string }[];
  const abandoned = db
    .prepare(`SELECT DISTINCT d.idempotency_key AS key FROM attempts a
      JOIN deliveries d ON d.id = a.delivery_id WHERE a.outcome = 'abandoned'`)
    .all() as { key: string }[];
  db.close();
  return {
    byKey: new Map(deliveries.map((row) => [row.key, row])),
    abandonedKeys: new Set(abandoned.map((row) => row.key)),
  };
}

/** How often each key's raw side effect happened: one line per handler run. */
function countLines(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  for (const key of lines.filter((line) => line.length > 0)) {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe("SIGKILL under load", () => {
  it("loses no acknowledged delivery, and processes each once after the restart", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "inbox-crash-"));
    const sideEffectsFile = path.join(dataDir, "side-effects.log");
    const env = {
      DATA_DIR: dataDir,
      CAPTURI_TOKENS: TEST_CAPTURI_TOKEN,
      CREDO_WEBHOOK_SECRETS: TEST_CREDO_SECRET,
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      // A claim of the killed process is taken over one second after its last renewal.
      WORKER_LEASE_SECONDS: "1",
      SIDE_EFFECTS_FILE: sideEffectsFile,
      SIDE_EFFECTS_DB: path.join(dataDir, "side-effects.db"),
    };
    const databasePath = path.join(dataDir, "inbox.db");

    const started = await startReceiverProcess(env, FIXTURE);
    receiver = started;
    const sent: Sent[] = [];
    const acked = () => sent.filter((delivery) => delivery.ackedId !== undefined);
    const killer = setInterval(() => {
      if (acked().length >= KILL_AFTER_ACKS) started.child.kill("SIGKILL");
    }, 1);
    await Promise.all(Array.from({ length: SENDERS }, () => sendUntilDown(started.baseUrl, sent)));
    clearInterval(killer);
    // `stop()` waits for an exit that already happened after a signal: wait here instead.
    const { child } = started;
    if (child.exitCode === null && child.signalCode === null) await once(child, "exit");
    receiver = undefined;
    expect(child.signalCode).toBe("SIGKILL");
    expect(acked().length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    receiver = await startReceiverProcess(env, FIXTURE);
    const answers = await retryAll(receiver.baseUrl, sent);
    await waitUntilAllDone(databasePath);
    expect(await receiver.stop()).toBe(0);
    receiver = undefined;

    const { byKey, abandonedKeys } = readStore(databasePath);
    // Every 2xx was a promise kept: the delivery is stored under the id it was answered with, and
    // the sender's retry of it (its 2xx lost, as far as the sender knows) is a duplicate.
    const lost = acked().filter((d) => byKey.get(d.eventUid)?.id !== d.ackedId);
    expect(lost).toEqual([]);
    const notDuplicate = acked().filter((d) => {
      const answer = answers.get(d.eventUid);
      return !answer?.duplicate || answer.id !== d.ackedId;
    });
    expect(notDuplicate).toEqual([]);
    // The unanswered ones are stored now too, once each, and everything ran to the end.
    expect([...byKey.keys()].sort()).toEqual(sent.map((d) => d.eventUid).sort());
    expect([...byKey.values()].filter((row) => row.status !== "done")).toEqual([]);

    // At least once: a handler killed mid-run (its attempt `abandoned`) may have run twice; every
    // other delivery ran exactly once, and no duplicate reached a handler.
    const runs = countLines(sideEffectsFile);
    const wrongCounts = [...byKey.keys()]
      .map((key) => ({ key, runs: runs.get(key) ?? 0, abandoned: abandonedKeys.has(key) }))
      .filter((entry) => !(entry.runs === 1 || (entry.abandoned && entry.runs === 2)));
    expect(wrongCounts).toEqual([]);
    expect([...runs.keys()].filter((key) => !byKey.has(key))).toEqual([]);
    expect(abandonedKeys.size).toBeLessThanOrEqual(WORKER_CONCURRENCY);

    // Exactly once where the handler made it so: one row per key in the idempotent record.
    const effects = new Database(env.SIDE_EFFECTS_DB, { readonly: true });
    const recorded = effects.prepare("SELECT key FROM effects").all() as { key: string }[];
    effects.close();
    expect(recorded.map((row) => row.key).sort()).toEqual([...byKey.keys()].sort());
  }, 60_000);
});
