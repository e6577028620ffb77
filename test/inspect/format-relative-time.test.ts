import { describe, expect, it } from "vitest";
import { formatRelativeTime } from "../../src/inspect/format-relative-time.ts";

const now = new Date("2026-05-13T10:42:00Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

describe("relative times, as the inspect page shows them", () => {
  it("says how long ago, in the largest whole unit", () => {
    expect(formatRelativeTime(at(-2_000), now)).toBe("just now");
    expect(formatRelativeTime(at(-42_000), now)).toBe("42 s ago");
    expect(formatRelativeTime(at(-150_000), now)).toBe("2 min ago");
    expect(formatRelativeTime(at(-3 * 3_600_000 - 59 * 60_000), now)).toBe("3 h ago");
    expect(formatRelativeTime(at(-9 * 86_400_000), now)).toBe("9 d ago");
  });

  it("says how soon, for a next attempt", () => {
    expect(formatRelativeTime(at(4 * 60_000 + 30_000), now)).toBe("in 4 min");
    expect(formatRelativeTime(at(20_000), now)).toBe("in 20 s");
    expect(formatRelativeTime(at(1_000), now)).toBe("in a moment");
  });
});
