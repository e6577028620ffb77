import type { StatusCounts } from "../inbox/inspect-store.ts";

/** "1,234", or "10,000+" for a figure that is only a floor; inspect.js writes the same. */
export function formatCount(n: number, capped: boolean): string {
  return `${n.toLocaleString("en-US")}${capped ? "+" : ""}`;
}

/** Every status together: a floor as soon as one of them is. */
export function formatTotal({ counts, capped }: StatusCounts): string {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  return formatCount(total, capped.length > 0);
}
