import { mkdtempSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ReceiverProcess,
  runReceiverExpectingFailure,
  startReceiverProcess,
} from "./helpers/start-receiver-process.ts";

let receiver: ReceiverProcess | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

describe("npm start (src/main.ts as a real process)", () => {
  it("starts with zero configuration, prints where to point each provider, and reuses its secrets", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "inbox-main-"));
    receiver = await startReceiverProcess({ DATA_DIR: dataDir });
    const secrets = JSON.parse(readFileSync(path.join(dataDir, "dev-secrets.json"), "utf8"));
    expect(receiver.stderr()).toContain(
      `${receiver.baseUrl.replace("127.0.0.1", "localhost")}/webhooks/capturi`,
    );
    expect(receiver.stderr()).toContain(`authorization: Bearer ${secrets.capturiToken}`);
    expect(receiver.stderr()).toContain(secrets.credoWebhookSecret);
    // The structured logs never carry a secret, generated or not.
    expect(receiver.stdout()).not.toContain(secrets.capturiToken);
    expect(receiver.stdout()).not.toContain(secrets.credoWebhookSecret);

    expect((await fetch(`${receiver.baseUrl}/healthz`)).status).toBe(200);
    const delivered = await fetch(`${receiver.baseUrl}/webhooks/capturi`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${secrets.capturiToken}`,
      },
      body: JSON.stringify({
        event: "ConversationProcessed",
        uid: "5d2f8c1e-3b7a-4e9f-8c6d-1a2b3c4d5e6f",
      }),
    });
    expect(delivered.status).toBe(200);
    expect(await receiver.stop()).toBe(0);

    receiver = await startReceiverProcess({ DATA_DIR: dataDir });
    expect(receiver.stderr()).toContain(secrets.capturiToken);
    expect(JSON.parse(readFileSync(path.join(dataDir, "dev-secrets.json"), "utf8"))).toEqual(
      secrets,
    );
  });

  it("refuses to start in production without secrets, naming the variables", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "inbox-main-"));
    const { code, stderr } = await runReceiverExpectingFailure({
      NODE_ENV: "production",
      DATA_DIR: dataDir,
    });
    expect(code).toBe(1);
    expect(stderr).toContain("CREDO_WEBHOOK_SECRETS");
    expect(stderr).toContain("CAPTURI_TOKENS");
  });

  it("says in one line which port is taken and how to choose another, and exits 1", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const { code, stderr } = await runReceiverExpectingFailure({
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: mkdtempSync(path.join(tmpdir(), "inbox-main-")),
      });
      expect(code).toBe(1);
      expect(stderr).toBe(
        `webhook-inbox cannot start: port ${port} is already in use (is another one running?): stop it, or choose another with PORT, e.g. PORT=${port + 1} npm start.\n`,
      );
    } finally {
      taken.close();
    }
  });

  it("refuses a malformed setting with a message that names it", async () => {
    const { code, stderr } = await runReceiverExpectingFailure({ PORT: "not-a-port" });
    expect(code).toBe(1);
    expect(stderr).toContain("PORT");
  });
});
