import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credoFixtures } from "../fixtures/index.ts";
import { createTestReceiver, type TestReceiver } from "../helpers/create-test-receiver.ts";
import { signCredo } from "../helpers/sign-credo.ts";

/** Cases tried per property; the closing note of issue 6 quotes these. */
const SIGNED_RUNS = 150;
const FLIPPED_RUNS = 250;

let receiver: TestReceiver;
beforeAll(() => {
  receiver = createTestReceiver();
});
afterAll(() => receiver.close());

/** A real Credo body whose text carries `ø`, emoji and any other Unicode the generator finds. */
const nonAsciiBody = fc.string({ unit: "grapheme", maxLength: 80 }).map((text) => {
  const fixture = structuredClone(credoFixtures.use_case_name_updated);
  fixture.data.value = `Skadebehandling ø 🚀 ${text}`;
  return JSON.stringify(fixture);
});

function post(bytes: Buffer, headers: Record<string, string>) {
  return receiver.request
    .post("/webhooks/credo")
    .set(headers)
    .serialize((body) => body)
    .send(bytes);
}

describe("signatures cover the raw bytes", () => {
  it("accepts every correctly signed body, whatever Unicode it holds", async () => {
    await fc.assert(
      fc.asyncProperty(nonAsciiBody, async (body) => {
        const res = await post(Buffer.from(body, "utf8"), signCredo(body));
        expect(res.status).toBe(200);
      }),
      { numRuns: SIGNED_RUNS },
    );
  });

  it("refuses a signed body with any one byte changed (401)", async () => {
    await fc.assert(
      fc.asyncProperty(
        nonAsciiBody,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (body, position, mask) => {
          const bytes = Buffer.from(body, "utf8");
          const index = position % bytes.length;
          bytes[index] = (bytes[index] ?? 0) ^ mask;
          const res = await post(bytes, signCredo(body));
          expect(res.status).toBe(401);
          expect(res.body.code).toBe("signature_mismatch");
        },
      ),
      { numRuns: FLIPPED_RUNS },
    );
  });
});
