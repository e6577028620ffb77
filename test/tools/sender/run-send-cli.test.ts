import { spawnSync } from "node:child_process";
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

  it("exits 1 on any answer not asked for: a 401 unasked, or a 2xx to --bad-signature", async () => {
    await receiver.close();
    let status = 401;
    receiver = await startLoopbackReceiver(() => ({
      status,
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
    expect(lines.at(-1)).toBe("error: 1 of 1 answers was not a 2xx: 401.");
    expect(await runSendCli([...args, "--bad-signature"], deps())).toBe(0);

    // A receiver that does not check signatures answers 2xx: not what --bad-signature asks for.
    status = 200;
    expect(await runSendCli([...args, "--bad-signature", "--count", "2"], deps())).toBe(1);
    expect(lines.at(-1)).toBe(
      "error: 2 of 2 answers were not the 401 --bad-signature asks for: 200.",
    );
    expect(
      await runSendCli(
        [
          "capturi",
          "ConversationProcessed",
          "--target",
          receiver.url,
          "--no-token",
          "--data-dir",
          dataDir,
        ],
        deps(),
      ),
    ).toBe(1);
    expect(lines.at(-1)).toBe("error: 1 of 1 answers was not the 401 --no-token asks for: 200.");
  });

  it("says in --help which answers make it exit 0", async () => {
    expect(await runSendCli(["--help"], deps())).toBe(0);
    expect(lines.join("\n")).toContain(
      "Exit status: 0 when every answer is the one asked for: a 2xx, or a 401 with --bad-signature,",
    );
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

  it("says the receiver is not running and which URL it tried, without a stack, and exits 1", async () => {
    const target = `http://127.0.0.1:${await freePort()}`;
    const args = ["credo", "use_case_name_updated", "--target", target, "--data-dir", dataDir];

    expect(await runSendCli(args, deps())).toBe(1);
    expect(lines.at(-1)).toBe(
      `error: fetch failed (ECONNREFUSED) for ${target}/webhooks/credo: is the receiver running? (URL from --target; --target <url> sends elsewhere)`,
    );
  });

  it("without --target, ignores the receiver.json of a receiver that is gone and tries PORT", async () => {
    const port = await freePort();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(
      path.join(dataDir, "receiver.json"),
      JSON.stringify({ url: "http://127.0.0.1:9", pid: gone }),
    );
    const code = await runSendCli(["credo", "use_case_name_updated", "--data-dir", dataDir], {
      ...deps(),
      env: { PORT: String(port), HOST: "127.0.0.1" },
    });

    expect(code).toBe(1);
    expect(lines.at(-1)).toBe(
      `error: fetch failed (ECONNREFUSED) for http://127.0.0.1:${port}/webhooks/credo: is the receiver running? (URL from PORT=${port}; no running receiver in ${dataDir}/receiver.json; --target <url> sends elsewhere)`,
    );
  });

  it("refuses the deliberate failures with --via-sandbox, which signs as the provider does", async () => {
    const code = await runSendCli(
      ["credo", "use_case_name_updated", "--bad-signature", "--via-sandbox", receiver.url],
      deps(),
    );
    expect(code).toBe(1);
    expect(receiver.requests).toHaveLength(0);
  });
});
