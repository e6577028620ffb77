import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewRejection } from "../../../src/inbox/inbox.ts";
import type { InspectStore } from "../../../src/inbox/inspect-store.ts";
import type { Stores } from "../../../src/inbox/stores.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";

const NOW = new Date("2025-06-01T12:00:00Z");
const MINUTE_MS = 60_000;
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MINUTE_MS);

function rejection(
  message: string,
  source: string | null,
  code: string,
  receivedAt: Date,
): NewRejection {
  return {
    source,
    method: "POST",
    path: source ? `/webhooks/${source}` : "/webhooks/nope",
    statusCode: code === "unknown_source" ? 404 : 401,
    code,
    message,
    headers: {},
    bodyExcerpt: Buffer.from("{}"),
    bodyBytes: 2,
    receivedAt,
  };
}

describe.each(STORE_KINDS)("rejection filters on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  let store: InspectStore;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
    store = stores.inspect;
    for (const row of [
      rejection("a", "credo", "signature_mismatch", ago(180)),
      rejection("b", "capturi", "missing_token", ago(90)),
      rejection("c", "credo", "timestamp_skew", ago(45)),
      rejection("d", null, "unknown_source", ago(20)),
      rejection("e", "credo", "signature_mismatch", ago(5)),
    ]) {
      await stores.inbox.recordRejection(row);
    }
  });
  afterEach(() => test.destroy());

  const messages = async (filter: Parameters<InspectStore["listRejections"]>[0]) =>
    (await store.listRejections(filter)).map((row) => row.message);

  it("narrows by source, code and time, newest first, and combines them", async () => {
    expect(await messages({})).toEqual(["e", "d", "c", "b", "a"]);
    expect(await messages({ source: "credo" })).toEqual(["e", "c", "a"]);
    expect(await messages({ code: "signature_mismatch" })).toEqual(["e", "a"]);
    expect(await messages({ since: ago(60) })).toEqual(["e", "d", "c"]);
    expect(await messages({ until: ago(45) })).toEqual(["b", "a"]);
    expect(await messages({ source: "credo", since: ago(60), until: ago(5) })).toEqual(["c"]);
    expect(await messages({ source: "credo", code: "missing_token" })).toEqual([]);
  });

  it("pages a filtered list with beforeId and limit", async () => {
    const first = await store.listRejections({ source: "credo", limit: 2 });
    expect(first.map((row) => row.message)).toEqual(["e", "c"]);
    const next = await messages({ source: "credo", limit: 2, beforeId: first.at(-1)?.id ?? 0 });
    expect(next).toEqual(["a"]);
  });

  it("counts the rejections received since a time", async () => {
    expect(await store.countRejectionsSince(ago(60))).toBe(3);
    expect(await store.countRejectionsSince(ago(5))).toBe(1);
    expect(await store.countRejectionsSince(NOW)).toBe(0);
    expect(await store.countRejectionsSince(ago(24 * 60))).toBe(5);
  });
});
