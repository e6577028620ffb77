/**
 * The value of one sample in Prometheus text: `name{labels}` whose labels include all of
 * `labels` (summed when several samples match, e.g. over sources). 0 when none matches, as
 * Prometheus reads a counter that was never incremented.
 */
export function readMetric(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const given = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => given[key] === value)) {
      total += Number(match[3]);
    }
  }
  return total;
}
