import { describe, expect, it } from "vitest";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../../../src/inbox/inbox.ts";
import { formatListSummary, formatPrune } from "../../../src/inspect/cli/format-text.ts";

const counts = (given: Partial<Record<DeliveryStatus, number>>, capped: DeliveryStatus[] = []) => ({
  counts: {
    ...Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])),
    ...given,
  } as Record<DeliveryStatus, number>,
  capped,
});

describe("the line under `events list`", () => {
  it("says what its counts count, with and without filters", () => {
    const stored = counts({ done: 21 });
    expect(formatListSummary(21, {}, stored)).toBe("21 shown · all stored, by status: done 21");
    expect(formatListSummary(3, { source: "credo" }, counts({ done: 3 }))).toBe(
      "3 shown · all matching, by status: done 3",
    );
    expect(formatListSummary(0, { status: "dead" }, stored)).toBe(
      "0 shown (--status dead) · stored, by status: done 21",
    );
    expect(formatListSummary(0, { status: "dead", source: "credo" }, stored)).toBe(
      "0 shown (--status dead) · matching the other filters, by status: done 21",
    );
    expect(formatListSummary(0, { source: "acme" }, counts({}))).toBe(
      "0 shown · all matching, by status: none",
    );
    expect(formatListSummary(50, {}, counts({ done: 10_000, dead: 3 }, ["done"]))).toBe(
      "50 shown · all stored, by status: done 10,000+ · dead 3",
    );
  });
});

describe("the line `events prune` prints", () => {
  it("counts in the singular and the plural", () => {
    const cutoff = new Date("2025-06-01T00:00:00Z");
    expect(
      formatPrune({
        cutoff,
        deliveries: 1,
        attempts: 1,
        snapshots: 0,
        rejections: 2,
        dryRun: true,
      }),
    ).toBe(
      "Would delete 1 delivery received before 2025-06-01 00:00:00 UTC (with 1 attempt), 0 unreferenced snapshots and 2 rejections.",
    );
  });
});
