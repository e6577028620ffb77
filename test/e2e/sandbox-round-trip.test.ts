import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDO_EVENT_TYPES } from "../../src/sources/credo/credo-event.ts";
import { freePort } from "../helpers/free-port.ts";
import { runScript } from "../helpers/run-script.ts";
import { type ReceiverProcess, startReceiverProcess } from "../helpers/start-receiver-process.ts";
import { type SandboxProcess, startSandboxProcess } from "../helpers/start-sandbox-process.ts";

/*
 * The whole loop on loopback, as a user runs it in three terminals: the receiver (`npm start`) and
 * the sandbox (`npm run sandbox`) as real processes, a subscription created with
 * `npm run subscriptions -- create`, events triggered with `npm run send -- --via-sandbox` and the
 * sandbox's /trigger. Then the receiver is killed and restarted while the sandbox retries.
 */

const TENANT = "e2e";
const API_TOKEN = "e2e-credo-api-token";
const INTEGRATION_TOKEN = "e2e-capturi-integration-token";
// Svix's 5 s, 5 min, 30 min, 2 h … become 2.5 ms, 150 ms, 0.9 s, 3.6 s, 9 s, 18 s, 18 s.
const RETRY_SCALE = "0.0005";

const CAPTURI_TRIGGERS = [
  { event: "ConversationProcessed", mode: "uid" },
  { event: "ConversationProcessed", mode: "full", casing: "pascal" },
  { event: "ConversationSummaryUpdated", mode: "uid", casing: "pascal" },
  { event: "ConversationSummaryUpdated", mode: "full" },
  { event: "LiveSummaryMessage" },
] as const;
const EVENTS_PER_ROUND = CREDO_EVENT_TYPES.length + CAPTURI_TRIGGERS.length;

interface SandboxDelivery {
  id: string;
  source: string;
  status: string;
  messageId: string;
  attempts: number;
}

interface InboxRow {
  id: number;
  source: string;
  idempotency_key: string;
  event_type: string;
  payload_mode: string;
  entity_uid: string;
  status: string;
  runs: number;
}

describe("sender and sandbox against the real receiver", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "e2e-sandbox-"));
  const dataDir = path.join(dir, "receiver");
  let receiverPort: number;
  let receiverEnv: Record<string, string>;
  let receiver: ReceiverProcess;
  let sandbox: SandboxProcess;

  beforeAll(async () => {
    receiverPort = await freePort();
    sandbox = await startSandboxProcess([
      "--port",
      "0",
      "--receiver",
      `http://127.0.0.1:${receiverPort}`,
      "--state-dir",
      path.join(dir, "sandbox"),
      "--receiver-data-dir",
      dataDir,
      "--tenant",
      TENANT,
      "--api-token",
      API_TOKEN,
      "--integration-token",
      INTEGRATION_TOKEN,
      "--retry-scale",
      RETRY_SCALE,
    ]);
    receiverEnv = {
      DATA_DIR: dataDir,
      PORT: String(receiverPort),
      CAPTURI_API_URL: `${sandbox.baseUrl}/capturi`,
      CAPTURI_API_TOKEN: INTEGRATION_TOKEN,
    };
    receiver = await startReceiverProcess(receiverEnv);
  });

  afterAll(async () => {
    await receiver?.stop("SIGKILL");
    await sandbox?.stop();
  });

  async function triggerRound(): Promise<void> {
    const sent = await runScript("send", ["credo", "all", `--via-sandbox=${sandbox.baseUrl}`]);
    expect(sent.code, sent.stderr).toBe(0);
    for (const trigger of CAPTURI_TRIGGERS) {
      const response = await fetch(`${sandbox.baseUrl}/trigger`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ source: "capturi", ...trigger }),
      });
      expect(response.status).toBe(202);
    }
  }

  async function sandboxDeliveries(): Promise<SandboxDelivery[]> {
    const response = await fetch(`${sandbox.baseUrl}/deliveries?limit=1000`);
    return ((await response.json()) as { deliveries: SandboxDelivery[] }).deliveries;
  }

  /** What is on the receiver's disk, read-only and straight from SQLite. */
  function inbox() {
    const db = new Database(path.join(dataDir, "inbox.db"), {
      readonly: true,
      fileMustExist: true,
    });
    try {
      const rows = db
        .prepare(
          `SELECT d.id, d.source, d.idempotency_key, d.event_type, d.payload_mode, d.entity_uid, d.status,
                  (SELECT count(*) FROM attempts a WHERE a.delivery_id = d.id) AS runs
             FROM deliveries d ORDER BY d.id`,
        )
        .all() as InboxRow[];
      const snapshots = db.prepare("SELECT uid, origin FROM conversation_snapshots").all() as {
        uid: string;
        origin: string;
      }[];
      return { rows, snapshots };
    } finally {
      db.close();
    }
  }

  async function until<T>(
    what: string,
    read: () => Promise<T> | T,
    done: (value: T) => boolean,
  ): Promise<T> {
    let value = await read();
    for (let i = 0; !done(value); i++) {
      if (i > 1500)
        throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value).slice(0, 2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 40));
      value = await read();
    }
    return value;
  }

  function expectProcessedOnce(rows: InboxRow[], snapshots: { uid: string; origin: string }[]) {
    expect(
      rows
        .map((row) => [row.event_type, row.status, row.runs])
        .filter(([, status, runs]) => status !== "done" || runs !== 1),
    ).toEqual([]);
    // Each Uid payload's conversation was fetched from the sandbox's Integration API.
    const fetched = new Set(
      snapshots.filter((snapshot) => snapshot.origin === "api").map((snapshot) => snapshot.uid),
    );
    const uidRows = rows.filter((row) => row.payload_mode === "uid");
    expect(uidRows.length).toBeGreaterThan(0);
    expect(uidRows.filter((row) => !fetched.has(row.entity_uid))).toEqual([]);
  }

  it("registers a subscription with the CLI, then stores and processes one event of every type once", async () => {
    const created = await runScript(
      "subscriptions",
      [
        "create",
        "--url",
        `http://127.0.0.1:${receiverPort}/webhooks/credo`,
        "--events",
        "all",
        "--description",
        "e2e",
      ],
      { CREDO_API_URL: sandbox.baseUrl, CREDO_TENANT: TENANT, CREDO_API_TOKEN: API_TOKEN },
    );
    expect(created.code, created.stderr).toBe(0);

    await triggerRound();

    const delivered = await until(
      "the sandbox to deliver round 1",
      sandboxDeliveries,
      (list) =>
        list.length === EVENTS_PER_ROUND && list.every((delivery) => delivery.status !== "pending"),
    );
    expect(delivered.filter((delivery) => delivery.status !== "delivered")).toEqual([]);
    const { rows, snapshots } = await until(
      "the worker to finish round 1",
      inbox,
      ({ rows }) => rows.length === EVENTS_PER_ROUND && rows.every((row) => row.status === "done"),
    );
    expect(new Set(rows.map((row) => row.event_type))).toEqual(
      new Set([
        ...CREDO_EVENT_TYPES,
        "ConversationProcessed",
        "ConversationSummaryUpdated",
        "LiveSummaryMessage",
      ]),
    );
    expectProcessedOnce(rows, snapshots);
  }, 90_000);

  it("loses nothing and runs nothing twice when the receiver is killed and restarted", async () => {
    await receiver.stop("SIGKILL");

    await triggerRound();
    // Every delivery of round 2 has failed at least once against the dead receiver.
    await until(
      "round 2 to fail once",
      sandboxDeliveries,
      (list) =>
        list.length === 2 * EVENTS_PER_ROUND &&
        list
          .slice(0, EVENTS_PER_ROUND)
          .every((delivery) => delivery.attempts >= 1 && delivery.status === "pending"),
    );

    receiver = await startReceiverProcess(receiverEnv);

    const delivered = await until(
      "the sandbox's retries to deliver round 2",
      sandboxDeliveries,
      (list) => list.every((delivery) => delivery.status !== "pending"),
    );
    expect(delivered.filter((delivery) => delivery.status !== "delivered")).toEqual([]);
    const roundTwo = delivered.slice(0, EVENTS_PER_ROUND);
    expect(roundTwo.every((delivery) => delivery.attempts > 1)).toBe(true);

    const { rows, snapshots } = await until(
      "the worker to finish round 2",
      inbox,
      ({ rows }) =>
        rows.length >= 2 * EVENTS_PER_ROUND && rows.every((row) => row.status === "done"),
    );
    expect(rows).toHaveLength(2 * EVENTS_PER_ROUND);
    // The receiver saw each message under the id the sandbox sent on every retry.
    expect(new Set(rows.map((row) => row.idempotency_key))).toEqual(
      new Set(delivered.map((delivery) => delivery.messageId)),
    );
    expectProcessedOnce(rows, snapshots);
  }, 120_000);
});
