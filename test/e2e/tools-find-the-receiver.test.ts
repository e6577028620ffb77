import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSendCli } from "../../tools/sender/run-send-cli.ts";
import { runSubscriptionsCli } from "../../tools/sender/subscriptions/run-subscriptions-cli.ts";
import { freePort } from "../helpers/free-port.ts";
import { type ReceiverProcess, startReceiverProcess } from "../helpers/start-receiver-process.ts";
import { type SandboxProcess, startSandboxProcess } from "../helpers/start-sandbox-process.ts";
import {
  SANDBOX_API_TOKEN,
  SANDBOX_TENANT,
  type SandboxServer,
  startSandboxServer,
} from "../helpers/start-sandbox-server.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

/*
 * `PORT=3105 npm start`, then the tools without any URL: send, sandbox and subscriptions must find
 * the receiver through the receiver.json it writes in DATA_DIR, not post to port 3000.
 */
describe("the developer tools find a receiver on a non-default port", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "find-receiver-"));
  const dataDir = path.join(dir, "data");
  let receiver: ReceiverProcess;

  beforeAll(async () => {
    receiver = await startReceiverProcess({ DATA_DIR: dataDir, PORT: String(await freePort()) });
  });
  afterAll(() => receiver?.stop());

  it("the receiver records its URL and pid in DATA_DIR/receiver.json", () => {
    const record = JSON.parse(readFileSync(path.join(dataDir, "receiver.json"), "utf8"));
    expect(record).toEqual({ url: receiver.baseUrl, pid: receiver.child.pid });
  });

  it("send posts there", async () => {
    const lines: string[] = [];
    const output = {
      out: (line: string) => lines.push(line),
      err: (line: string) => lines.push(line),
    };
    const code = await runSendCli(["credo", "use_case_name_updated"], {
      ...output,
      env: { DATA_DIR: dataDir },
    });
    expect(code, lines.join("\n")).toBe(0);
    expect(lines[0]).toMatch(new RegExp(`^→ POST ${receiver.baseUrl}/webhooks/credo `));
  });

  it("the sandbox points its Capturi webhook there", async () => {
    let sandbox: SandboxProcess | undefined;
    try {
      sandbox = await startSandboxProcess([
        "--port",
        "0",
        "--receiver-data-dir",
        dataDir,
        "--state-dir",
        path.join(dir, "sandbox"),
      ]);
      const { webhooks } = (await (await fetch(`${sandbox.baseUrl}/capturi/webhooks`)).json()) as {
        webhooks: { url: string }[];
      };
      expect(webhooks.map((webhook) => webhook.url)).toEqual([
        `${receiver.baseUrl}/webhooks/capturi`,
      ]);
      expect(sandbox.stderr()).toContain(`Receiver        ${receiver.baseUrl}  (from `);
    } finally {
      await sandbox?.stop();
    }
  });

  it("subscriptions sync registers it when PUBLIC_BASE_URL is not set", async () => {
    let api: SandboxServer | undefined;
    try {
      api = await startSandboxServer();
      const out: string[] = [];
      const err: string[] = [];
      const code = await runSubscriptionsCli(["sync", "--dry-run"], {
        env: {
          CREDO_API_URL: api.baseUrl,
          CREDO_TENANT: SANDBOX_TENANT,
          CREDO_API_TOKEN: SANDBOX_API_TOKEN,
          DATA_DIR: dataDir,
        },
        cwd: ROOT,
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      });
      expect(code, err.join("\n")).toBe(0);
      expect(out[0]).toBe(
        `+ create     webhook-inbox: every use case event → ${receiver.baseUrl}/webhooks/credo`,
      );
      expect(err[0]).toMatch(/^PUBLIC_BASE_URL is not set: using the local receiver, /);
    } finally {
      await api?.close();
    }
  });

  it("and the receiver removes receiver.json when it stops cleanly", async () => {
    expect(await receiver.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, "receiver.json"))).toBe(false);
  });
});
