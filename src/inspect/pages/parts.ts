import type { DeliveryStatus } from "../../inbox/inbox.ts";
import type { DeliverySummary } from "../../inbox/inspect-store.ts";
import { html, type SafeHtml } from "../html.ts";
import { formatTime } from "../parse-time.ts";

export function statusPill(status: DeliveryStatus | string): SafeHtml {
  return html`<span class="pill pill-${status}" data-status-pill>${status}</span>`;
}

export function time(date: Date | null | undefined): SafeHtml {
  if (!date) return html`<span class="muted">–</span>`;
  return html`<time datetime="${date.toISOString()}">${formatTime(date)}</time>`;
}

/** One row of the deliveries table; the live update inserts the same markup. */
export function deliveryRow(delivery: DeliverySummary): SafeHtml {
  const href = `/inspect/deliveries/${delivery.id}`;
  return html`<tr data-id="${delivery.id}">
  <td class="num"><a href="${href}">#${delivery.id}</a></td>
  <td class="nowrap">${time(delivery.receivedAt)}</td>
  <td><span class="source source-${delivery.source}">${delivery.source}</span></td>
  <td><a href="${href}" class="event-type">${delivery.eventType ?? "(no event type)"}</a></td>
  <td data-cell="status">${statusPill(delivery.status)}</td>
  <td class="mono ellipsis" title="${delivery.entityUid ?? ""}">${delivery.entityUid ?? "–"}</td>
  <td class="mono ellipsis" title="${delivery.idempotencyKey ?? ""}">${delivery.idempotencyKey ?? "–"}</td>
  <td class="num" data-cell="attempts">${delivery.attemptCount}</td>
  <td class="error ellipsis" data-cell="error" title="${delivery.lastError ?? ""}">${delivery.lastError ?? ""}</td>
</tr>`;
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
