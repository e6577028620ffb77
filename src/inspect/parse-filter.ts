import { DELIVERY_STATUSES, type DeliveryStatus } from "../inbox/inbox.ts";
import type { Cursor, DeliveryFilter } from "../inbox/inspect-store.ts";
import { parseTimeBounds } from "./parse-time.ts";

/** The filter as text, as a query string or the CLI's options carry it. */
export interface FilterInput {
  source?: string | undefined;
  eventType?: string | undefined;
  status?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  search?: string | undefined;
}

export type FilterResult = { ok: true; value: DeliveryFilter } | { ok: false; error: string };

/** Turns text into a `DeliveryFilter`; blank fields are unset; the error says which field is wrong. */
export function parseFilter(input: FilterInput, now: Date): FilterResult {
  const filter: DeliveryFilter = {};
  const text = (value: string | undefined) => value?.trim() || undefined;
  const source = text(input.source);
  const eventType = text(input.eventType);
  const search = text(input.search);
  if (source) filter.source = source;
  if (eventType) filter.eventType = eventType;
  if (search) filter.search = search.slice(0, 200);
  const status = text(input.status);
  if (status) {
    if (!DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
      return {
        ok: false,
        error: `status must be one of ${DELIVERY_STATUSES.join(", ")}; got "${status}".`,
      };
    }
    filter.status = status as DeliveryStatus;
  }
  const bounds = parseTimeBounds(input, now);
  if (!bounds.ok) return bounds;
  return { ok: true, value: { ...filter, ...bounds.value } };
}

/** `<receivedAtMs>-<id>`: the position after which the next page starts. */
export function formatCursor(cursor: Cursor): string {
  return `${cursor.receivedAtMs}-${cursor.id}`;
}

export function parseCursor(text: string): Cursor | undefined {
  const match = /^(\d{1,15})-(\d{1,15})$/.exec(text.trim());
  return match ? { receivedAtMs: Number(match[1]), id: Number(match[2]) } : undefined;
}

/** The filter back as query parameters, for links that keep it (pagination, status pills). */
export function filterQuery(input: FilterInput, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...input, ...extra })) {
    if (value?.trim()) params.set(name, value.trim());
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}
