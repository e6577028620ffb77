import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { InspectStore } from "../../src/inbox/inspect-store.ts";
import { scheduleRetention } from "../../src/inspect/schedule-retention.ts";
import { eventually } from "../helpers/create-worker-harness.ts";

function recordingStore(cutoffs: Date[]): InspectStore {
  return {
    prune: async (cutoff) => {
      cutoffs.push(cutoff);
      return { cutoff, deliveries: 0, attempts: 0, snapshots: 0, rejections: 0, dryRun: false };
    },
  } as Partial<InspectStore> as InspectStore;
}

describe("the retention schedule", () => {
  it("prunes soon after start and then every interval, RETENTION_DAYS back from now", async () => {
    const cutoffs: Date[] = [];
    const now = new Date("2025-06-08T00:00:00Z");
    const retention = scheduleRetention({
      store: recordingStore(cutoffs),
      retentionDays: 7,
      logger: pino({ level: "silent" }),
      intervalMs: 50,
      now: () => now,
    });
    await eventually(() => cutoffs.length >= 2, 5_000);
    await retention.stop();
    const count = cutoffs.length;
    expect(cutoffs[0]).toEqual(new Date("2025-06-01T00:00:00Z"));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(cutoffs.length).toBe(count);
  });

  it("keeps everything when RETENTION_DAYS is 0", async () => {
    const cutoffs: Date[] = [];
    const retention = scheduleRetention({
      store: recordingStore(cutoffs),
      retentionDays: 0,
      logger: pino({ level: "silent" }),
      intervalMs: 10,
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await retention.stop();
    expect(cutoffs).toEqual([]);
  });
});
