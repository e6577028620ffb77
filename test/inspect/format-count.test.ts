import { describe, expect, it } from "vitest";
import { COUNT_CAP } from "../../src/inbox/inspect-store.ts";
import { formatCounts } from "../../src/inspect/cli/format-text.ts";
import { formatCount, formatTotal } from "../../src/inspect/format-count.ts";

const counts = {
  pending: 3,
  processing: 0,
  done: COUNT_CAP,
  dead: 12,
  unhandled: 0,
  invalid: 0,
  malformed: 0,
};

describe("capped counts, as the page and npm run events show them", () => {
  it("marks a figure that is only a floor", () => {
    expect(formatCount(COUNT_CAP, true)).toBe("10,000+");
    expect(formatCount(1234, false)).toBe("1,234");
  });

  it("makes the total a floor as soon as one status is", () => {
    expect(formatTotal({ counts, capped: ["done"] })).toBe("10,015+");
    expect(formatTotal({ counts, capped: [] })).toBe("10,015");
  });

  it("lists the statuses that have any in the CLI", () => {
    expect(formatCounts({ counts, capped: ["done"] })).toBe("pending 3 · done 10,000+ · dead 12");
  });
});
