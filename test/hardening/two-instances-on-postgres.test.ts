import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "../helpers/create-test-receiver.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres/create-test-database.ts";
import { type ReceiverProcess, startReceiverProcess } from "../helpers/start-receiver-process.ts";

const FIXTURE = "test/hardening/fixtures/receiver-with-counting-handlers.ts";
const SENDERS_PER_INSTANCE = 6;
/** SIGKILL the first instance once it acknowledged this many: mid-load, with more in flight. */
const KILL_AFTER_ACKS = 80;
/** After the restart, both instances take this many more acknowledgements before the load stops. */
const ACKS_AFTER_RESTART = 80;
const WORKER_CONCURRENCY = 4;
const MAX_POLLS = 600;

let processes: ReceiverProcess[] = [];
let dataDir: string;
let database: TestDatabase;
afterEach(async () => {
  await Promise.all(processes.map((receiver) => receiver.stop("SIGKILL")));
  processes = [];
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Sent {
  eventUid: string;
  body: string;
  via: string;
  ackedId?: number;
}

interface Answer {
  id: number;
  duplicate: boolean;
}

function post(baseUrl: string, sent: Pick<Sent, "body">): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/capturi`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` },
    body: sent.body,
  });
}

/** Posts fresh deliveries to one instance until it stops answering or `done()` holds. */
async function sendUntil(baseUrl: string, sent: Sent[], done: () => boolean): Promise<void> {
  while (!done()) {
    const eventUid = randomUUID();
    const delivery: Sent = {
      eventUid,
      via: baseUrl,
      body: JSON.stringify({ eventUid, event: "ConversationProcessed", uid: randomUUID() }),
    };
    sent.push(delivery);
    let res: Response;
    try {
      res = await post(baseUrl, delivery);
    } catch {
      return; // Killed: this delivery's answer is lost.
    }
    if (res.ok) delivery.ackedId = ((await res.json()) as Answer).id;
    else await res.body?.cancel();
  }
}

async function load(baseUrl: string, sent: Sent[], done: () => boolean): Promise<void> {
  await Promise.all(
    Array.from({ length: SENDERS_PER_INSTANCE }, () => sendUntil(baseUrl, sent, done)),
  );
}

/** The sender's retries, spread over both instances; each must be answered 2xx now. */
async function retryAll(baseUrls: string[], sent: Sent[]): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  const queue = [...sent];
  const retryOne = async (baseUrl: string): Promise<void> => {
    for (let next = queue.pop(); next; next = queue.pop()) {
      const res = await post(baseUrl, next);
      expect(res.status).toBe(200);
      answers.set(next.eventUid, (await res.json()) as Answer);
    }
  };
  await Promise.all(
    Array.from({ length: 8 }, (_, i) => retryOne(baseUrls[i % baseUrls.length] ?? "")),
  );
  return answers;
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function countLines(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  for (const key of lines.filter((line) => line.length > 0)) {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe("two receivers on one PostgreSQL database", () => {
  it("share the load, survive a SIGKILL of one, store every acknowledged delivery once and run each once", async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "inbox-two-"));
    const sideEffectsFile = path.join(dataDir, "side-effects.log");
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      CAPTURI_TOKENS: TEST_CAPTURI_TOKEN,
      CREDO_WEBHOOK_SECRETS: TEST_CREDO_SECRET,
      WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      // A claim of the killed process is taken over one second after its last renewal.
      WORKER_LEASE_SECONDS: "1",
      SIDE_EFFECTS_FILE: sideEffectsFile,
      SIDE_EFFECTS_DB: path.join(dataDir, "side-effects.db"),
    };
    // Both start at once: the migrations run once, under the advisory lock.
    const [first, second] = await Promise.all([
      startReceiverProcess(env, FIXTURE),
      startReceiverProcess(env, FIXTURE),
    ]);
    processes = [first, second];
    // Each says at start that its connections commit synchronously.
    for (const receiver of processes) {
      expect(receiver.stdout()).toMatch(/"synchronousCommit":\{"session":"on"/);
    }
    const sent: Sent[] = [];
    const acked = () => sent.filter((delivery) => delivery.ackedId !== undefined);
    const ackedVia = (baseUrl: string) => acked().filter((d) => d.via === baseUrl).length;

    let ackedAtRestart = Number.POSITIVE_INFINITY;
    const loadDone = () => acked().length >= ackedAtRestart + ACKS_AFTER_RESTART;
    const killer = setInterval(() => {
      if (ackedVia(first.baseUrl) >= KILL_AFTER_ACKS) first.child.kill("SIGKILL");
    }, 1);
    const onSecond = load(second.baseUrl, sent, loadDone);
    await load(first.baseUrl, sent, loadDone);
    clearInterval(killer);
    if (first.child.exitCode === null && first.child.signalCode === null) {
      await once(first.child, "exit");
    }
    expect(first.child.signalCode).toBe("SIGKILL");

    // The second instance kept taking load meanwhile; now the first comes back beside it.
    const restarted = await startReceiverProcess(env, FIXTURE);
    processes = [second, restarted];
    ackedAtRestart = acked().length;
    await Promise.all([onSecond, load(restarted.baseUrl, sent, loadDone)]);
    expect(ackedVia(second.baseUrl)).toBeGreaterThan(0);
    expect(ackedVia(restarted.baseUrl)).toBeGreaterThan(0);

    const answers = await retryAll([second.baseUrl, restarted.baseUrl], sent);
    for (let poll = 0; ; poll += 1) {
      const [row] = await query<{ n: number }>(
        "SELECT count(*)::int AS n FROM deliveries WHERE status <> 'done'",
      );
      if (row?.n === 0) break;
      if (poll >= MAX_POLLS) throw new Error("deliveries still unfinished");
      await sleep(50);
    }
    expect(await Promise.all(processes.map((receiver) => receiver.stop()))).toEqual([0, 0]);
    processes = [];

    const rows = await query<{ key: string; id: number; status: string }>(
      "SELECT idempotency_key AS key, id::int AS id, status FROM deliveries WHERE source = 'capturi'",
    );
    const byKey = new Map(rows.map((row) => [row.key, row]));
    const abandonedKeys = new Set(
      (
        await query<{ key: string }>(`SELECT DISTINCT d.idempotency_key AS key FROM attempts a
          JOIN deliveries d ON d.id = a.delivery_id WHERE a.outcome = 'abandoned'`)
      ).map((row) => row.key),
    );
    const workers = await query<{ worker: string }>("SELECT DISTINCT worker FROM attempts");

    // Every 2xx, from either instance, was a promise kept, and its retry is a duplicate of it.
    expect(rows).toHaveLength(byKey.size);
    expect(acked().filter((d) => byKey.get(d.eventUid)?.id !== d.ackedId)).toEqual([]);
    expect(
      acked().filter((d) => {
        const answer = answers.get(d.eventUid);
        return !answer?.duplicate || answer.id !== d.ackedId;
      }),
    ).toEqual([]);
    expect([...byKey.keys()].sort()).toEqual(sent.map((d) => d.eventUid).sort());
    expect([...byKey.values()].filter((row) => row.status !== "done")).toEqual([]);
    // Three processes' workers ran handlers: the killed one, its successor and the survivor.
    expect(workers.length).toBeGreaterThanOrEqual(2);

    // At least once: only a handler killed mid-run (its attempt `abandoned`) may have run twice.
    const runs = countLines(sideEffectsFile);
    const wrongCounts = [...byKey.keys()]
      .map((key) => ({ key, runs: runs.get(key) ?? 0, abandoned: abandonedKeys.has(key) }))
      .filter((entry) => !(entry.runs === 1 || (entry.abandoned && entry.runs === 2)));
    expect(wrongCounts).toEqual([]);
    expect([...runs.keys()].filter((key) => !byKey.has(key))).toEqual([]);
    expect(abandonedKeys.size).toBeLessThanOrEqual(WORKER_CONCURRENCY);
    const ranTwice = [...runs.values()].filter((n) => n === 2).length;
    process.stdout.write(
      `two instances: ${sent.length} sent, ${acked().length} acknowledged (${ackedVia(first.baseUrl)} by the killed one), ${abandonedKeys.size} handler runs killed mid-run, ${ranTwice} ran twice\n`,
    );

    const effects = new Database(env.SIDE_EFFECTS_DB, { readonly: true });
    const recorded = effects.prepare("SELECT key FROM effects").all() as { key: string }[];
    effects.close();
    expect(recorded.map((row) => row.key).sort()).toEqual([...byKey.keys()].sort());
  }, 120_000);
});
