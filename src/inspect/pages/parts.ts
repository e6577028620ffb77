import type { DeliveryStatus } from "../../inbox/inbox.ts";
import { ARRIVALS_COUNT_CAP, type DeliverySummary } from "../../inbox/inspect-store.ts";
import { formatRelativeTime } from "../format-relative-time.ts";
import { html, type SafeHtml } from "../html.ts";
import { formatTime } from "../parse-time.ts";

export function statusPill(status: DeliveryStatus | string): SafeHtml {
  return html`<span class="pill pill-${status}" data-status-pill>${status}</span>`;
}

export function time(date: Date | null | undefined): SafeHtml {
  if (!date) return html`<span class="muted">–</span>`;
  return html`<time datetime="${date.toISOString()}">${formatTime(date)}</time>`;
}

/** "2 min ago" with the exact time on hover; inspect.js refreshes the text every half minute. */
export function relativeTime(date: Date | null | undefined, now: Date): SafeHtml {
  if (!date) return html`<span class="muted">–</span>`;
  return html`<time datetime="${date.toISOString()}" title="${formatTime(date)}" data-relative>${formatRelativeTime(date, now)}</time>`;
}

/**
 * One row of the deliveries table; the live update inserts the same markup. Seven columns of a
 * fixed layout fit 1,280 px: the event id and entity uid are a second line under the event type,
 * and long values end in an ellipsis with the whole text on hover.
 */
export function deliveryRow(delivery: DeliverySummary, now: Date): SafeHtml {
  const href = `/inspect/deliveries/${delivery.id}`;
  const eventType = delivery.eventType ?? "(no event type)";
  const ids = [delivery.idempotencyKey, delivery.entityUid].filter((id) => id !== null);
  return html`<tr data-id="${delivery.id}">
  <td class="nowrap"><a href="${href}">#${delivery.id}</a></td>
  <td class="nowrap">${relativeTime(delivery.receivedAt, now)}</td>
  <td><span class="source source-${delivery.source}">${delivery.source}</span></td>
  <td><a href="${href}" class="event-type line" title="${eventType}">${eventType}</a>
    <span class="ids mono line" title="event id ${delivery.idempotencyKey ?? "–"} · entity uid ${delivery.entityUid ?? "–"}">${ids.length > 0 ? ids.join(" · ") : "–"}</span></td>
  <td data-cell="status">${statusPill(delivery.status)}${arrivalsBadge(delivery.arrivals)}</td>
  <td class="num" data-cell="attempts">${delivery.attemptCount}</td>
  <td class="error ellipsis" data-cell="error" title="${delivery.lastError ?? ""}">${delivery.lastError ?? ""}</td>
</tr>`;
}

/** "×3" when the sender sent it more than once: its duplicates were answered, not processed. */
function arrivalsBadge(arrivals: number): SafeHtml {
  if (arrivals <= 1) return html``;
  const floor = arrivals >= ARRIVALS_COUNT_CAP ? "+" : "";
  return html` <span class="pill pill-duplicate" data-arrivals="${arrivals}" title="sent ${arrivals}${floor} times: ${arrivals - 1}${floor} duplicates, answered and not processed again">×${arrivals}${floor}</span>`;
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
