import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../src/receive/decode-utf8.ts";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** What a fatal TextDecoder says: the text, or undefined for bytes that are not UTF-8. */
function reference(bytes: Buffer): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

describe("decodeUtf8", () => {
  it("decodes any Unicode text exactly as a fatal TextDecoder does", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        const bytes = Buffer.from(text, "utf8");
        expect(decodeUtf8(bytes)).toBe(text);
      }),
      { numRuns: 2_000 },
    );
    const mixed = "ASCII, Kunden ønsker et tilbud på, 日本語, emoji 🧾👩‍💻, NUL \u0000 end";
    expect(decodeUtf8(Buffer.from(mixed.repeat(2_000)))).toBe(mixed.repeat(2_000));
  });

  it("refuses exactly the byte strings that are not UTF-8", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (array) => {
        const bytes = Buffer.from(array);
        expect(decodeUtf8(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 5_000 },
    );
    for (const invalid of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      expect(decodeUtf8(Buffer.from(invalid))).toBeUndefined();
    }
  });
});
