import { afterEach, describe, expect, it } from "vitest";
import { TEST_CAPTURI_TOKEN } from "../helpers/create-test-receiver.ts";
import { type ListeningReceiver, listenTestReceiver } from "../helpers/listen-test-receiver.ts";
import { countRows } from "../helpers/stored.ts";
import { streamRequest } from "../helpers/stream-request.ts";

const MIB = 1024 * 1024;
const headers = {
  "content-type": "application/json",
  authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
};
let receiver: ListeningReceiver;
afterEach(() => receiver.close());

describe("a body over the limit", () => {
  it("is refused with 413 while it streams, long before the client has sent it all", async () => {
    receiver = await listenTestReceiver({ bodyLimitBytes: 1 * MIB });
    const res = await streamRequest({
      url: `${receiver.baseUrl}/webhooks/capturi`,
      headers,
      totalBytes: 50 * MIB,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: "payload_too_large" });
    expect(res.headers.connection).toBe("close");
    // The refusal came after about the limit, not after 50 MiB were read (and buffered).
    expect(res.bytesSentBeforeResponse).toBeLessThan(10 * MIB);
    expect(countRows(receiver.db, "deliveries")).toBe(0);
    expect(countRows(receiver.db, "rejections", "code = 'payload_too_large'")).toBe(1);
    expect((await fetch(`${receiver.baseUrl}/healthz`)).status).toBe(200);
  });

  it("is refused from Content-Length before any of it is read", async () => {
    receiver = await listenTestReceiver({ bodyLimitBytes: 1 * MIB });
    const res = await streamRequest({
      url: `${receiver.baseUrl}/webhooks/capturi`,
      headers: { ...headers, "content-length": String(50 * MIB) },
      totalBytes: 50 * MIB,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ code: "payload_too_large" });
    expect(res.bytesSentBeforeResponse).toBeLessThan(10 * MIB);
  });

  // The 413 carries Connection: close; Node ends the connection once the answer is flushed. A
  // client that ignores the early answer and keeps writing must still read it, not an ECONNRESET.
  it("reaches a client that keeps sending, as a response, not as a connection reset", async () => {
    receiver = await listenTestReceiver({ bodyLimitBytes: 1 * MIB });
    for (let round = 0; round < 10; round += 1) {
      const res = await streamRequest({
        url: `${receiver.baseUrl}/webhooks/capturi`,
        headers,
        totalBytes: 50 * MIB,
        chunkBytes: 256 * 1024,
        ignoreEarlyResponse: true,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).code).toBe("payload_too_large");
    }
  });
});
