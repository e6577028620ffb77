const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A point in time as a person types it: ISO 8601 (`2025-05-13T10:42:00+02:00`), a UTC date or
 * date-time (`2025-05-13`, `2025-05-13 10:42`), or a duration back from now (`15m`, `2h`, `7d`).
 * Undefined when it is none of these.
 */
export function parseTimeInput(input: string, now: Date): Date | undefined {
  const value = input.trim();
  const relative = /^(\d+)\s*([smhd])$/i.exec(value);
  if (relative) {
    const unit = (relative[2] ?? "s").toLowerCase() as keyof typeof UNIT_MS;
    return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[unit]);
  }
  const plain = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(value);
  const iso = plain ? `${plain[1]}T${plain[2] ?? "00:00"}Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `since` and `until` of a filter as text; blank ones unset, the error names the wrong one. */
export function parseTimeBounds(
  input: { since?: string | undefined; until?: string | undefined },
  now: Date,
): { ok: true; value: { since?: Date; until?: Date } } | { ok: false; error: string } {
  const bounds: { since?: Date; until?: Date } = {};
  for (const field of ["since", "until"] as const) {
    const value = input[field]?.trim();
    if (!value) continue;
    const date = parseTimeInput(value, now);
    if (!date) {
      return {
        ok: false,
        error: `${field} must be a time such as 2025-05-13T10:42:00Z, 2025-05-13 10:42 (UTC) or 2h, 7d (ago); got "${value.slice(0, 100)}".`,
      };
    }
    bounds[field] = date;
  }
  return { ok: true, value: bounds };
}

/** `2025-05-13 10:42:17 UTC`: one format for the page and the CLI. */
export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
