import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSendCli } from "../../../tools/sender/run-send-cli.ts";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "../../helpers/create-test-receiver.ts";
import { freePort } from "../../helpers/free-port.ts";
import {
  type LoopbackReceiver,
  startLoopbackReceiver,
} from "../../helpers/start-loopback-receiver.ts";

describe("npm run send", () => {
  let receiver: LoopbackReceiver;
  let dataDir: string;
  let lines: string[];
  const deps = () => ({
    out: (line: string) => lines.push(line),
    err: (line: string) => lines.push(line),
  });

  beforeEach(async () => {
    receiver = await startLoopbackReceiver(() => ({ status: 200, body: '{"status":"pending"}' }));
    // The receiver's development secrets, as `npm start` writes them.
    dataDir = mkdtempSync(path.join(tmpdir(), "send-test-"));
    writeFileSync(
      path.join(dataDir, "dev-secrets.json"),
      JSON.stringify({ credoWebhookSecret: TEST_CREDO_SECRET, capturiToken: TEST_CAPTURI_TOKEN }),
    );
    lines = [];
  });
  afterEach(() => receiver.close());

  it("signs Credo AI deliveries with the receiver's development secret and repeats a fixed id", async () => {
    const code = await runSendCli(
      [
        "credo",
        "use_case_review_status_updated",
        "--target",
        receiver.url,
        "--data-dir",
        dataDir,
        "--count",
        "2",
        "--event-id",
        "msg_dup",
      ],
      deps(),
    );

    expect(code).toBe(0);
    expect(receiver.requests.map((request) => request.headers["svix-id"])).toEqual([
      "msg_dup",
      "msg_dup",
    ]);
    for (const request of receiver.requests) {
      const headers = {
        "webhook-id": String(request.headers["svix-id"]),
        "webhook-timestamp": String(request.headers["svix-timestamp"]),
        "webhook-signature": String(request.headers["svix-signature"]),
      };
      expect(() => new Webhook(TEST_CREDO_SECRET).verify(request.body, headers)).not.toThrow();
    }
    expect(lines).toContain('← 200 {"status":"pending"}');
  });

  it("sends every Capturi event with the receiver's header token, in PascalCase when asked", async () => {
    const code = await runSendCli(
      [
        "capturi",
        "all",
        "--target",
        receiver.url,
        "--data-dir",
        dataDir,
        "--casing",
        "pascal",
        "--method",
        "PUT",
      ],
      deps(),
    );

    expect(code).toBe(0);
    expect(receiver.requests.map((request) => JSON.parse(request.body).Event)).toEqual([
      "ConversationProcessed",
      "ConversationSummaryUpdated",
      "LiveSummaryMessage",
    ]);
    expect(receiver.requests.every((request) => request.method === "PUT")).toBe(true);
    expect(receiver.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_CAPTURI_TOKEN}`);
  });

  it("exits 1 when the receiver refuses, and 0 when a failure was asked for", async () => {
    await receiver.close();
    receiver = await startLoopbackReceiver(() => ({
      status: 401,
      body: '{"code":"signature_mismatch"}',
    }));
    const args = [
      "credo",
      "use_case_name_updated",
      "--target",
      receiver.url,
      "--data-dir",
      dataDir,
    ];

    expect(await runSendCli(args, deps())).toBe(1);
    expect(await runSendCli([...args, "--bad-signature"], deps())).toBe(0);
  });

  it("--via-sandbox asks the sandbox's /trigger instead", async () => {
    const code = await runSendCli(
      [
        "capturi",
        "ConversationProcessed",
        "--mode",
        "full",
        "--count",
        "3",
        "--via-sandbox",
        receiver.url,
      ],
      deps(),
    );

    expect(code).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.url).toBe("/trigger");
    expect(JSON.parse(receiver.requests[0]?.body ?? "")).toEqual({
      source: "capturi",
      event: "ConversationProcessed",
      count: 3,
      mode: "full",
    });
  });

  it("says the receiver is not running, without a stack, and exits 1", async () => {
    const target = `http://127.0.0.1:${await freePort()}`;
    const args = ["credo", "use_case_name_updated", "--target", target, "--data-dir", dataDir];

    expect(await runSendCli(args, deps())).toBe(1);
    expect(lines.at(-1)).toBe("error: fetch failed (ECONNREFUSED): is the receiver running?");
  });
});
