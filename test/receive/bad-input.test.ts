import { afterEach, describe, expect, it } from "vitest";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../helpers/create-test-receiver.ts";
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
