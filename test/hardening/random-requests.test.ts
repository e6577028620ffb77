import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CAPTURI_TOKEN } from "../helpers/create-test-receiver.ts";
import { type ListeningReceiver, listenTestReceiver } from "../helpers/listen-test-receiver.ts";
import { sendRaw } from "../helpers/send-raw.ts";
import { signCredo } from "../helpers/sign-credo.ts";

/** Cases tried per run; the closing note of issue 6 quotes these. */
const RANDOM_REQUEST_RUNS = 400;
const BODY_LIMIT_BYTES = 16 * 1024;

const METHODS = [
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "PURGE",
];
const PATHS = [
  "/webhooks/capturi",
  "/webhooks/credo",
  "/webhooks/",
  "/webhooks/%ff",
  "/healthz",
  "/",
  "/webhooks/capturi?x=%00",
];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "application/cloudevents+json",
  "text/json",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "",
];
const printable = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
const text = fc.string({ unit: "grapheme", maxLength: 60 });

/** A body: random bytes (often not UTF-8), JSON with non-ASCII text, or bytes around the limit. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc
    .record({ event: fc.constantFrom("ConversationProcessed", "Nope"), uid: text, eventUid: text })
    .map((json) => new TextEncoder().encode(JSON.stringify(json))),
  fc.jsonValue().map((json) => new TextEncoder().encode(JSON.stringify(json) ?? "null")),
  fc
    .integer({ min: BODY_LIMIT_BYTES - 8, max: BODY_LIMIT_BYTES * 2 })
    .map((n) => new Uint8Array(n).fill(0x20)),
);

const headers = fc
  .record(
    {
      "content-type": fc.oneof(fc.constantFrom(...CONTENT_TYPES), printable),
      "content-encoding": fc.constantFrom("gzip", "br", "identity", "deflate, gzip", "x"),
      authorization: fc.oneof(fc.constant(`Bearer ${TEST_CAPTURI_TOKEN}`), printable),
      "svix-id": printable,
      "svix-timestamp": fc.oneof(fc.nat().map(String), printable),
      "svix-signature": fc.oneof(
        printable,
        fc.base64String().map((b) => `v1,${b}`),
      ),
      "webhook-id": printable,
      "x-extra": printable,
    },
    { requiredKeys: [] },
  )
  .map(
    (record) =>
      Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >,
  );

function reportBriefly(details: {
  failed: boolean;
  counterexample: readonly [string, string, Record<string, string>, Uint8Array] | null;
  errorInstance: unknown;
}) {
  if (!details.failed) return;
  const [method, path, sent, bytes] = details.counterexample ?? [];
  throw new Error(
    `${String(details.errorInstance)}\ncounterexample: ${method} ${path} ${JSON.stringify(sent)} body of ${bytes?.length} bytes: ${Buffer.from(
      bytes ?? [],
    )
      .subarray(0, 80)
      .toString("hex")}…`,
  );
}

let receiver: ListeningReceiver;
beforeAll(async () => {
  receiver = await listenTestReceiver({ bodyLimitBytes: BODY_LIMIT_BYTES });
});
afterAll(() => receiver.close());

describe("random requests at every route", () => {
  it("never answer 5xx, never crash, and leave the server healthy", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.constantFrom(...PATHS),
        headers,
        body,
        async (method, path, requestHeaders, bytes) => {
          const res = await sendRaw(receiver.port, {
            method,
            path,
            headers: requestHeaders,
            body: bytes,
          });
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
        },
      ),
      // Bodies can be 32 KiB: report the failing case's shape, not every byte of it.
      { numRuns: RANDOM_REQUEST_RUNS, reporter: (details) => reportBriefly(details) },
    );
    const health = await fetch(`${receiver.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });

  it("never answer 5xx to correctly signed Credo bodies of any JSON", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (json) => {
        const payload = JSON.stringify(json) ?? "null";
        const res = await sendRaw(receiver.port, {
          method: "POST",
          path: "/webhooks/credo",
          headers: signCredo(payload),
          body: new TextEncoder().encode(payload),
        });
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
  });
});
