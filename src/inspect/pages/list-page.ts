import type { DeliveryStatus } from "../../inbox/inbox.ts";
import { DELIVERY_STATUSES } from "../../inbox/inbox.ts";
import type { DeliveryPage, IntervalCounts, StatusCounts } from "../../inbox/inspect-store.ts";
import { formatCount, formatTotal } from "../format-count.ts";
import { html, type SafeHtml } from "../html.ts";
import { type FilterInput, filterQuery, formatCursor } from "../parse-filter.ts";
import { deliveryChart } from "./delivery-chart.ts";
import { filterActions, selectField, textField, timeFields } from "./filter-fields.ts";
import { layout } from "./layout.ts";
import { deliveryRow } from "./parts.ts";

export interface ListPageOptions {
  input: FilterInput;
  page: DeliveryPage;
  counts: StatusCounts;
  sources: readonly string[];
  /** Known event types, offered as suggestions in the filter form. */
  eventTypes: readonly string[];
  /** True on an older page: only the newest page updates by itself. */
  paged: boolean;
  /** What relative times ("2 min ago") are measured from. */
  now: Date;
  /** Deliveries per interval over the last `chartHours`, with the filter (its times aside). */
  chart: IntervalCounts;
  chartHours: number;
  /** Requests refused since `refusedSince` (an hour ago), linked to the rejections page. */
  refused: { count: number; since: Date };
  error?: string;
}

export function listPage(options: ListPageOptions): string {
  const { input, page, paged } = options;
  const body = html`
<div class="page-head">
  <h1>Deliveries</h1>
  <span class="live" id="live-state" ${paged ? "hidden" : ""}>live</span>
  ${refusedLink(options)}
</div>
${deliveryChart(options.chart, options.chartHours)}
${statusPills(options)}
${filterForm(options)}
${options.error ? html`<p class="notice notice-error">${options.error}</p>` : ""}
<div class="toolbar">
  <button type="button" class="button" id="replay-matching" data-query="${filterQuery(input)}">Replay all matching</button>
  <span class="muted" id="action-result" role="status"></span>
</div>
<div class="table-wrap">
<table class="deliveries" id="deliveries" data-query="${filterQuery(input)}" data-newest-id="${page.newestId}" ${paged ? "" : html`data-live="1"`}>
  <colgroup><col class="col-id"><col class="col-received"><col class="col-source"><col class="col-event"><col class="col-status"><col class="col-tries"><col></colgroup>
  <thead><tr><th>id</th><th>received</th><th>source</th><th>event type · event id · entity uid</th><th>status</th><th class="num">tries</th><th>last error</th></tr></thead>
  <tbody>${page.deliveries.map((delivery) => deliveryRow(delivery, options.now))}</tbody>
</table>
${page.deliveries.length === 0 ? html`<p class="empty" id="empty">No deliveries match. New ones appear here as they arrive.</p>` : ""}
</div>
<nav class="pager">
  ${paged ? html`<a class="button" href="/inspect${filterQuery(input)}">← Newest</a>` : ""}
  ${page.nextCursor ? html`<a class="button" id="older" href="/inspect${filterQuery(input, { before: formatCursor(page.nextCursor) })}">Older →</a>` : ""}
</nav>`;
  return layout({ title: "Deliveries", section: "deliveries", body });
}

function refusedLink({ refused }: ListPageOptions): SafeHtml {
  const href = `/inspect/rejections?since=${encodeURIComponent(refused.since.toISOString())}`;
  return html`<a class="refused${refused.count > 0 ? " has-refused" : ""}" id="refused" href="${href}">${refused.count.toLocaleString("en-US")} refused in the last hour</a>`;
}

function statusPills({ input, counts }: ListPageOptions): SafeHtml {
  const pill = (status: DeliveryStatus | "", label: string, count: string) => html`<a
    class="count-pill${(input.status ?? "") === status ? " is-current" : ""}${status ? ` pill-${status}` : ""}"
    href="/inspect${filterQuery({ ...input, status })}"><span>${label}</span><strong data-count="${status || "all"}">${count}</strong></a>`;
  const each = (status: DeliveryStatus) =>
    pill(status, status, formatCount(counts.counts[status], counts.capped.includes(status)));
  return html`<div class="counts" id="counts">${pill("", "all", formatTotal(counts))}${DELIVERY_STATUSES.map(each)}</div>`;
}

function filterForm({ input, sources, eventTypes }: ListPageOptions): SafeHtml {
  return html`<form class="filters" method="get" action="/inspect">
  ${selectField("Source", "source", sources, input.source)}
  ${textField("Event type", "eventType", input.eventType, "any", { list: "event-types" })}
  <datalist id="event-types">${eventTypes.map((type) => html`<option value="${type}"></option>`)}</datalist>
  ${selectField("Status", "status", DELIVERY_STATUSES, input.status)}
  ${timeFields(input)}
  ${textField("Search", "search", input.search, "delivery id, event id or entity uid", { type: "search", className: "grow" })}
  ${filterActions("/inspect")}
</form>`;
}
