import type { DeliveryDetail } from "../../inbox/inspect-store.ts";
import { html, type SafeHtml } from "../html.ts";
import { relativeTime } from "./parts.ts";

/**
 * Every time the sender sent this delivery. More than one means it retried (or replayed) a
 * delivery that was already stored: often the first sign that acknowledgements are too slow.
 */
export function arrivalsTable(detail: DeliveryDetail, now: Date): SafeHtml {
  const { arrivals, arrivalsNotListed } = detail;
  if (arrivals.length === 0) return html`<p class="muted">No arrival recorded.</p>`;
  const duplicates = arrivals.length - 1 + arrivalsNotListed;
  return html`<p class="muted">${
    duplicates === 0
      ? "Sent once."
      : `Sent ${duplicates + 1} times: every duplicate was answered and not processed again.`
  }</p>
<table class="arrivals" id="arrivals">
<thead><tr><th>#</th><th>received</th><th>sender's attempt</th><th>answered</th><th>request id</th></tr></thead>
<tbody>${arrivals.map(
    (arrival, index) => html`<tr data-duplicate="${arrival.duplicate}">
  <td class="num">${index === 0 ? 1 : index + 1 + arrivalsNotListed}</td>
  <td class="nowrap">${relativeTime(arrival.receivedAt, now)}${arrival.duplicate ? html` <span class="pill pill-duplicate">duplicate</span>` : ""}</td>
  <td class="mono">${arrival.senderAttempt ?? "–"}</td>
  <td>${arrival.statusCode === null ? html`<span class="muted">–</span>` : html`<span class="pill pill-http-${Math.floor(arrival.statusCode / 100)}xx">${arrival.statusCode}</span>`}</td>
  <td class="mono">${arrival.requestId ?? "–"}</td>
</tr>`,
  )}</tbody></table>
${arrivalsNotListed > 0 ? html`<p class="muted">${arrivalsNotListed} older duplicates are not listed.</p>` : ""}`;
}
