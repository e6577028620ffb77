import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewSnapshot } from "../../../src/inbox/snapshots.ts";
import type { Stores } from "../../../src/inbox/stores.ts";
import { createTestInbox, STORE_KINDS, type TestInbox } from "../../helpers/test-stores.ts";

describe.each(STORE_KINDS)("conversation snapshots on %s", (kind) => {
  let test: TestInbox;
  let stores: Stores;
  beforeEach(async () => {
    test = await createTestInbox(kind);
    stores = await test.open();
  });
  afterEach(() => test.destroy());

  const version = (lastChanged: string | null, subject: string): NewSnapshot => ({
    uid: "conv-1",
    lastChanged: lastChanged ? new Date(lastChanged) : null,
    conversation: { subject, nested: { list: [1, "two", null] } },
    origin: "api",
    deliveryId: null,
    storedAt: new Date(),
  });

  it("keeps the newest version: an older one never replaces it, the same one does", async () => {
    expect(await stores.snapshots.get("conv-1")).toBeUndefined();
    const first = await stores.snapshots.save(version("2025-06-01T10:00:00Z", "v2"));
    expect(first).toMatchObject({ stored: true, current: { conversation: { subject: "v2" } } });
    const older = await stores.snapshots.save(version("2025-06-01T09:00:00Z", "v1"));
    expect(older).toMatchObject({ stored: false, current: { conversation: { subject: "v2" } } });
    const undated = await stores.snapshots.save(version(null, "undated"));
    expect(undated.stored).toBe(false);
    const refetch = await stores.snapshots.save(version("2025-06-01T10:00:00Z", "v2 again"));
    expect(refetch.stored).toBe(true);
    expect(await stores.snapshots.get("conv-1")).toMatchObject({
      uid: "conv-1",
      lastChanged: new Date("2025-06-01T10:00:00Z"),
      conversation: { subject: "v2 again", nested: { list: [1, "two", null] } },
      origin: "api",
    });
  });

  it("orders saves that race from two instances by lastChanged, not by arrival", async () => {
    const other = await test.open();
    const versions = Array.from({ length: 20 }, (_, i) =>
      version(new Date(Date.UTC(2025, 5, 1, 0, i)).toISOString(), `v${i}`),
    );
    await Promise.all(versions.map((v, i) => (i % 2 === 0 ? stores : other).snapshots.save(v)));
    expect((await stores.snapshots.get("conv-1"))?.conversation).toMatchObject({ subject: "v19" });
  });

  it("treats a conversation without lastChanged as the oldest possible", async () => {
    const saved = await stores.snapshots.save(version(null, "undated"));
    expect(saved.current.lastChanged.getTime()).toBe(0);
  });
});
