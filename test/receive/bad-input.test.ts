import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
import { listenTestReceiver } from "../helpers/listen-test-receiver.ts";
import { sendRaw } from "../helpers/send-raw.ts";
import { countRows } from "../helpers/stored.ts";

const auth = { authorization: `Bearer ${TEST_CAPTURI_TOKEN}` };
const json = { "content-type": "application/json" };
let receiver: TestReceiver;
afterEach(() => receiver.close());

describe("bad input gets a clear JSON error", () => {
  it("answers 404 unknown_source and lists the known ones", async () => {
    receiver = createTestReceiver();
    const res = await receiver.request.post("/webhooks/capturri").set(json).send("{}");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "unknown_source" });
    expect(res.body.message).toContain("capturi, credo");
  });

  it("answers 404 not_found as JSON for any other path", async () => {
    receiver = createTestReceiver();
    const res = await receiver.request.get("/nowhere");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });

  it("answers 405 with an Allow header for a method the source does not use", async () => {
    receiver = createTestReceiver();
    const capturi = await receiver.request.get("/webhooks/capturi").set(auth);
    expect(capturi.status).toBe(405);
    expect(capturi.headers.allow).toBe("POST, PUT, PATCH");
    const credo = await receiver.request.put("/webhooks/credo").set(json).send("{}");
    expect(credo.status).toBe(405);
    expect(credo.body).toMatchObject({ code: "method_not_allowed" });
  });

  it.each(["PUT", "PATCH"] as const)("accepts Capturi deliveries sent with %s", async (method) => {
    receiver = createTestReceiver();
    const body = JSON.stringify({ event: "ConversationProcessed", uid: crypto.randomUUID() });
    const res = await receiver.request[method === "PUT" ? "put" : "patch"]("/webhooks/capturi")
      .set({ ...auth, ...json })
      .send(body);
    expect(res.status).toBe(200);
    expect((await receiver.delivery(res.body.id))?.method).toBe(method);
  });

  it("answers 415 for a content type that is not JSON", async () => {
    receiver = createTestReceiver();
    const res = await receiver.request
      .post("/webhooks/capturi")
      .set({ ...auth, "content-type": "application/x-www-form-urlencoded" })
      .send("event=ConversationProcessed");
    expect(res.status).toBe(415);
    expect(res.body.code).toBe("unsupported_media_type");
  });

  // Raw requests: supertest would JSON-encode a Buffer and refuses Transfer-Encoding with a length.
  const raw = (headers: Record<string, string>, body: Uint8Array) => ({
    method: "POST",
    path: "/webhooks/capturi",
    headers: { ...auth, ...json, ...headers },
    body,
  });
  const uidBody = () =>
    JSON.stringify({ event: "ConversationProcessed", uid: crypto.randomUUID() });

  it("answers 415 for JSON in a charset other than UTF-8, before storing anything", async () => {
    const listening = await listenTestReceiver();
    try {
      const utf16 = Buffer.from(uidBody(), "utf16le");
      const res = await sendRaw(
        listening.port,
        raw({ "content-type": "application/json; charset=utf-16" }, utf16),
      );
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body)).toMatchObject({ code: "unsupported_media_type" });
      expect(res.body).toContain("UTF-8");
      expect(countRows(listening.db, "deliveries")).toBe(0);
      const utf8 = await sendRaw(
        listening.port,
        raw({ "content-type": 'application/json; charset="UTF-8"' }, Buffer.from(uidBody())),
      );
      expect(utf8.status).toBe(200);
    } finally {
      await listening.close();
    }
  });

  it("answers 415 for a compressed Transfer-Encoding instead of storing it as malformed", async () => {
    const listening = await listenTestReceiver();
    try {
      const res = await sendRaw(
        listening.port,
        raw({ "transfer-encoding": "gzip, chunked" }, gzipSync(uidBody())),
      );
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body)).toMatchObject({ code: "unsupported_media_type" });
      expect(res.body).toContain("Transfer-Encoding gzip");
      expect(countRows(listening.db, "deliveries")).toBe(0);
    } finally {
      await listening.close();
    }
  });

  it("reads a UTF-8 body with a byte order mark, and calls invalid UTF-8 malformed", async () => {
    const listening = await listenTestReceiver();
    try {
      const mark = Buffer.from([0xef, 0xbb, 0xbf]);
      const withMark = await sendRaw(
        listening.port,
        raw({}, Buffer.concat([mark, Buffer.from(uidBody())])),
      );
      expect(withMark.status).toBe(200);
      expect(JSON.parse(withMark.body)).toMatchObject({ status: "pending" });
      const invalid = await sendRaw(listening.port, raw({}, Buffer.from([0x7b, 0xff, 0x7d])));
      expect(invalid.status).toBe(400);
      expect(JSON.parse(invalid.body)).toMatchObject({ code: "malformed_json" });
      expect(invalid.body).toContain("not valid UTF-8");
    } finally {
      await listening.close();
    }
  });

  it("answers 413 when Content-Length announces a body over the limit, before reading it", async () => {
    receiver = createTestReceiver({ bodyLimitBytes: 1024 });
    const res = await receiver.request
      .post("/webhooks/capturi")
      .set({ ...auth, ...json })
      .send(JSON.stringify({ event: "ConversationProcessed", padding: "x".repeat(2000) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe("payload_too_large");
    expect(res.body.message).toContain("BODY_LIMIT_BYTES");
  });

  it("answers 400 malformed_json and still records the authentic body for audit", async () => {
    receiver = createTestReceiver();
    const res = await receiver.request
      .post("/webhooks/capturi")
      .set({ ...auth, ...json })
      .send('{"event": "ConversationProcessed",');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("malformed_json");
    // Svix stops retrying a message whose response carries this header.
    expect(res.headers["webhook-delivery"]).toBe("abort-message");
    const stored = await receiver.delivery(res.body.id);
    expect(stored?.status).toBe("malformed");
    expect(stored?.body.toString()).toBe('{"event": "ConversationProcessed",');
  });

  it("treats bytes that are not UTF-8 as malformed JSON", async () => {
    receiver = createTestReceiver();
    const res = await receiver.request
      .post("/webhooks/capturi")
      .set({ ...auth, ...json })
      // superagent would JSON-encode a Buffer sent as application/json; send the bytes as they are.
      .serialize((bytes) => bytes)
      .send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("malformed_json");
  });

  it("records refusals in the rejection log, not in the inbox", async () => {
    receiver = createTestReceiver();
    await receiver.request.post("/webhooks/capturri").set(json).send("{}");
    await receiver.request.get("/webhooks/capturi");
    const rejections = (await receiver.rejections(10)).map((r) => [r.code, r.path]);
    expect(rejections).toEqual([
      ["method_not_allowed", "/webhooks/capturi"],
      ["unknown_source", "/webhooks/capturri"],
    ]);
    expect(countRows(receiver.db, "deliveries")).toBe(0);
  });
});
