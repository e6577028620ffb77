import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { resolveSecrets } from "../../../src/config/dev-secrets.ts";
import { loadConfig } from "../../../src/config/load-config.ts";
import { describeSources } from "../../../src/config/print-setup.ts";
import { defineHandlers } from "../../../src/handlers/define-handlers.ts";
import { sources as builtIn } from "../../../src/handlers/index.ts";
import { type RunningReceiver, startReceiver } from "../../../src/start-receiver.ts";
import { eventually } from "../../helpers/create-worker-harness.ts";
import { type AcmeOrderPaid, acmeSource, signAcme } from "./acme-source.ts";

// The whole of "adding a provider": its folder (./acme-source.ts) and this list with its handler.
const sources = [...builtIn, acmeSource] as const;
const SECRET = "acme-secret-0123456789abcdef";

let receiver: RunningReceiver | undefined;
let dataDir: string;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>, seen: AcmeOrderPaid[] = []) {
  dataDir = mkdtempSync(path.join(tmpdir(), "acme-"));
  const loaded = loadConfig({ DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", ...env }, sources);
  if (!loaded.ok) throw new Error(loaded.error);
  const secrets = resolveSecrets(loaded.value, sources);
  if (!secrets.ok) throw new Error(secrets.error);
  const handlers = defineHandlers(sources, {
    acme: {
      order_paid(event, ctx) {
        // Typed by the source's event map: `amountCents` is a number here.
        seen.push(event);
        ctx.log.info({ cents: event.data.amountCents }, "paid");
      },
    },
  });
  receiver = await startReceiver({
    config: secrets.config,
    sources,
    handlers,
    logger: pino({ level: "silent" }),
  });
  return { url: `http://127.0.0.1:${receiver.port}`, secrets };
}

function post(url: string, body: string, signature: string) {
  return fetch(`${url}/webhooks/acme`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-acme-signature": signature },
    body,
  });
}

describe("a third source, defined outside src/", () => {
  it("is received, stored, processed by its handler and shown, like the built-in ones", async () => {
    const seen: AcmeOrderPaid[] = [];
    const { url } = await start({ ACME_SECRET: SECRET }, seen);
    const body = JSON.stringify({
      id: "evt_1",
      type: "order_paid",
      data: { orderId: "o-7", amountCents: 1250 },
    });

    const res = await post(url, body, signAcme(body, SECRET));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { id: number };
    expect(answer).toMatchObject({ status: "pending", duplicate: false, eventType: "order_paid" });

    await eventually(() => seen.length === 1);
    expect(seen[0]?.data).toEqual({ orderId: "o-7", amountCents: 1250 });
    const again = await post(url, body, signAcme(body, SECRET));
    expect(await again.json()).toMatchObject({ id: answer.id, duplicate: true });

    const detail = (await (await fetch(`${url}/inspect/api/deliveries/${answer.id}`)).json()) as {
      delivery: unknown;
    };
    expect(detail.delivery).toMatchObject({
      source: "acme",
      eventType: "order_paid",
      status: "done",
      idempotencyKey: "evt_1",
      authMethod: "hmac-sha256",
    });
    const page = await (await fetch(`${url}/inspect?source=acme`)).text();
    expect(page).toContain('<option value="acme"');
    expect(page).toContain('<option value="order_paid">');
    expect(seen).toHaveLength(1);
  });

  it("refuses a bad signature with its own error, and logs the refusal", async () => {
    const { url } = await start({ ACME_SECRET: SECRET });
    const res = await post(url, '{"id":"evt_2","type":"order_paid"}', "00ff");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: "signature_mismatch",
      message: "Bad x-acme-signature.",
    });
    const { rejections } = (await (await fetch(`${url}/inspect/api/rejections`)).json()) as {
      rejections: unknown[];
    };
    expect(rejections[0]).toMatchObject({ source: "acme", code: "signature_mismatch" });
  });

  it("reads its settings through loadConfig, and generates its development secret", async () => {
    const wrong = loadConfig({ ACME_SECRET: "short" }, sources);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error).toContain("ACME_SECRET");

    const production = loadConfig({ NODE_ENV: "production", ACME_SECRET: "" }, sources);
    if (!production.ok) throw new Error(production.error);
    const refused = resolveSecrets(production.value, sources);
    expect(!refused.ok && refused.error).toContain("ACME_SECRET");

    const { url, secrets } = await start({});
    const stored = JSON.parse(readFileSync(path.join(dataDir, "dev-secrets.json"), "utf8"));
    expect(stored.acmeSecret).toMatch(/^[0-9a-f]{48}$/);
    const described = describeSources(secrets.config, sources, {
      baseUrl: url,
      generated: secrets.ok ? secrets.generated : {},
    });
    expect(described.at(-1)).toMatchObject({
      url: `${url}/webhooks/acme`,
      details: [`secret ${stored.acmeSecret}`],
    });
    const body = '{"id":"evt_3","type":"order_paid","data":{"orderId":"o-8","amountCents":5}}';
    expect((await post(url, body, signAcme(body, stored.acmeSecret))).status).toBe(200);
  });
});
