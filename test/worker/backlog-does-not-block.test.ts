import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/inbox/sqlite/open-database.ts";
import { capturiFixtures } from "../fixtures/index.ts";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "../helpers/create-test-receiver.ts";
import { runEventsScript } from "../helpers/run-events-cli.ts";
import { seedDeliveries } from "../helpers/seed-deliveries.ts";
import { type ReceiverProcess, startReceiverProcess } from "../helpers/start-receiver-process.ts";

const FIXTURE = "test/worker/fixtures/receiver-with-busy-handlers.ts";
const BACKLOG = 5_000;
const REQUEST_EVERY_MS = 50;
/** Generous: an answer takes milliseconds; only a loop blocked by the drain comes near it. */
const SLOWEST_ANSWER_MS = 2_000;
/** Only a shutdown that waits for the backlog comes near this. */
const SHUTDOWN_WITHIN_MS = 8_000;

let receiver: ReceiverProcess | undefined;
let dataDir: string;
afterEach(async () => {
  await receiver?.stop("SIGKILL");
  receiver = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** Pending: a backlog found at start-up. Done: what a replay turns into one. */
function seedBacklog(databasePath: string, status: "pending" | "done"): void {
  const db = openDatabase(databasePath);
  const body = JSON.stringify(capturiFixtures.conversationProcessedUid);
  seedDeliveries(
    db,
    Array.from({ length: BACKLOG }, () => ({
      status,
      body,
      idempotencyKey: randomUUID(),
    })),
  );
  db.close();
}

function pendingCount(databasePath: string): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    const row = db.prepare("SELECT count(*) AS n FROM deliveries WHERE status = 'pending'").get();
    return (row as { n: number }).n;
  } finally {
    db.close();
  }
}

interface Answer {
  what: string;
  status: number;
  ms: number;
}

async function timed(what: string, request: () => Promise<Response>): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await request();
    await res.arrayBuffer();
    return { what, status: res.status, ms: performance.now() - started };
  } catch {
    return { what, status: 0, ms: performance.now() - started };
  }
}

/** A fresh delivery every `REQUEST_EVERY_MS`, with a /healthz between them, none awaited first. */
async function sendDuringDrain(baseUrl: string, requests: number): Promise<Answer[]> {
  const answers: Promise<Answer>[] = [];
  for (let i = 0; i < requests; i += 1) {
    const signal = AbortSignal.timeout(20_000);
    answers.push(
      i % 4 === 3
        ? timed("healthz", () => fetch(`${baseUrl}/healthz`, { signal }))
        : timed("delivery", () =>
            fetch(`${baseUrl}/webhooks/capturi`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
              },
              body: JSON.stringify({
                ...capturiFixtures.conversationProcessedUid,
                eventUid: randomUUID(),
              }),
              signal,
            }),
          ),
    );
    await sleep(REQUEST_EVERY_MS);
  }
  return Promise.all(answers);
}

function startBusyReceiver(): Promise<ReceiverProcess> {
  return startReceiverProcess(
    {
      DATA_DIR: dataDir,
      CAPTURI_TOKENS: TEST_CAPTURI_TOKEN,
      CREDO_WEBHOOK_SECRETS: TEST_CREDO_SECRET,
      BUSY_HANDLER_MS: "1",
    },
    FIXTURE,
  );
}

function expectPromptAnswers(answers: Answer[]): void {
  expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
  const slowest = answers.reduce((a, b) => (b.ms > a.ms ? b : a));
  expect(slowest.ms).toBeLessThan(SLOWEST_ANSWER_MS);
}

/** SIGTERM in the middle of the drain: the process leaves without working off the backlog. */
async function expectPromptShutdown(started: ReceiverProcess, databasePath: string) {
  expect(pendingCount(databasePath)).toBeGreaterThan(0);
  const stopping = performance.now();
  expect(await started.stop("SIGTERM")).toBe(0);
  expect(performance.now() - stopping).toBeLessThan(SHUTDOWN_WITHIN_MS);
  expect(pendingCount(databasePath)).toBeGreaterThan(0);
  receiver = undefined;
}

describe("a backlog with handlers that never yield", () => {
  it("found at start-up: the receiver starts answering before it is worked off, and stops on SIGTERM", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "inbox-backlog-"));
    const databasePath = path.join(dataDir, "inbox.db");
    seedBacklog(databasePath, "pending");
    receiver = await startBusyReceiver();
    // A worker that drains without yielding only lets the server log "listening" once done.
    expect(pendingCount(databasePath)).toBeGreaterThan(0);
    expectPromptAnswers(await sendDuringDrain(receiver.baseUrl, 60));
    await expectPromptShutdown(receiver, databasePath);
  }, 60_000);

  it("replayed by the CLI while deliveries arrive: every one is answered promptly", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "inbox-backlog-"));
    const databasePath = path.join(dataDir, "inbox.db");
    seedBacklog(databasePath, "done");
    receiver = await startBusyReceiver();
    const [answers, replay] = await Promise.all([
      sendDuringDrain(receiver.baseUrl, 120),
      runEventsScript(["replay", "--status", "done"], { DATA_DIR: dataDir }),
    ]);
    expect(replay).toMatchObject({ code: 0, stderr: "" });
    // The backlog, and whichever of the new deliveries were done by then.
    const replayed = Number(/Replayed (\d+) deliveries/.exec(replay.stdout)?.[1]);
    expect(replayed).toBeGreaterThanOrEqual(BACKLOG);
    expectPromptAnswers(answers);
    await expectPromptShutdown(receiver, databasePath);
  }, 60_000);
});
