import { afterEach, describe, expect, it } from "vitest";
import { TEST_CAPTURI_TOKEN } from "../helpers/create-test-receiver.ts";
import { type ListeningReceiver, listenTestReceiver } from "../helpers/listen-test-receiver.ts";
import { rawExchange } from "../helpers/raw-exchange.ts";

let receiver: ListeningReceiver;
afterEach(() => receiver.close());

const head = (extra = "") =>
  "POST /webhooks/capturi HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
  `Authorization: Bearer ${TEST_CAPTURI_TOKEN}\r\n${extra}`;

describe("slow clients are cut off", () => {
  it("answers 408 and closes when the body stalls past the request timeout", async () => {
    receiver = await listenTestReceiver({ requestTimeoutMs: 1000, headersTimeoutMs: 1000 });
    const exchange = await rawExchange(receiver.port, [`${head()}Content-Length: 100\r\n\r\n{"ev`]);
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
    expect((await fetch(`${receiver.baseUrl}/healthz`)).status).toBe(200);
  });

  it("answers 408 and closes when the headers never finish (slowloris)", async () => {
    receiver = await listenTestReceiver({ requestTimeoutMs: 1000, headersTimeoutMs: 1000 });
    const exchange = await rawExchange(receiver.port, [head("X-Slow: a")]);
    expect(exchange.received).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe("headers too large", () => {
  it("are refused with 431 before any route runs", async () => {
    receiver = await listenTestReceiver({ maxHeaderSizeBytes: 4096 });
    const exchange = await rawExchange(receiver.port, [
      `${head(`X-Padding: ${"a".repeat(8192)}\r\n`)}Content-Length: 2\r\n\r\n{}`,
    ]);
    expect(exchange.received).toMatch(/^HTTP\/1\.1 431 /);
    expect((await fetch(`${receiver.baseUrl}/healthz`)).status).toBe(200);
  });

  it("under the limit are read as usual", async () => {
    receiver = await listenTestReceiver({ maxHeaderSizeBytes: 4096 });
    const body = JSON.stringify({ event: "ConversationProcessed", uid: crypto.randomUUID() });
    const res = await fetch(`${receiver.baseUrl}/webhooks/capturi`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
        "x-padding": "a".repeat(2048),
      },
      body,
    });
    expect(res.status).toBe(200);
  });
});
