const STEPS = [
  { unit: "d", ms: 86_400_000 },
  { unit: "h", ms: 3_600_000 },
  { unit: "min", ms: 60_000 },
  { unit: "s", ms: 1_000 },
] as const;

/**
 * "2 min ago", "in 4 min", "just now": how far `date` is from `now`, in the largest whole unit.
 * inspect.js writes the same (its `formatRelativeTime`) when it refreshes the page's times.
 */
export function formatRelativeTime(date: Date, now: Date): string {
  const differenceMs = date.getTime() - now.getTime();
  const distanceMs = Math.abs(differenceMs);
  if (distanceMs < 5_000) return differenceMs > 0 ? "in a moment" : "just now";
  const step = STEPS.find(({ ms }) => distanceMs >= ms) ?? STEPS[3];
  const amount = `${Math.floor(distanceMs / step.ms)} ${step.unit}`;
  return differenceMs > 0 ? `in ${amount}` : `${amount} ago`;
}
