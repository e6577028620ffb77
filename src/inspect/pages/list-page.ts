import type { DeliveryStatus } from "../../inbox/inbox.ts";
import { DELIVERY_STATUSES } from "../../inbox/inbox.ts";
import type { DeliveryPage, StatusCounts } from "../../inbox/inspect-store.ts";
import { formatCount, formatTotal } from "../format-count.ts";
import { html, type SafeHtml } from "../html.ts";
import { type FilterInput, filterQuery, formatCursor } from "../parse-filter.ts";
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
  error?: string;
}

export function listPage(options: ListPageOptions): string {
  const { input, page, paged } = options;
  const body = html`
<div class="page-head">
  <h1>Deliveries</h1>
  <span class="live" id="live-state" ${paged ? "hidden" : ""}>live</span>
</div>
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

function statusPills({ input, counts }: ListPageOptions): SafeHtml {
  const pill = (status: DeliveryStatus | "", label: string, count: string) => html`<a
    class="count-pill${(input.status ?? "") === status ? " is-current" : ""}${status ? ` pill-${status}` : ""}"
    href="/inspect${filterQuery({ ...input, status })}"><span>${label}</span><strong data-count="${status || "all"}">${count}</strong></a>`;
  const each = (status: DeliveryStatus) =>
    pill(status, status, formatCount(counts.counts[status], counts.capped.includes(status)));
  return html`<div class="counts" id="counts">${pill("", "all", formatTotal(counts))}${DELIVERY_STATUSES.map(each)}</div>`;
}

function filterForm({ input, sources, eventTypes }: ListPageOptions): SafeHtml {
  const option = (value: string, current: string | undefined, label = value) =>
    html`<option value="${value}" ${value === (current ?? "") ? "selected" : ""}>${label}</option>`;
  return html`<form class="filters" method="get" action="/inspect">
  <label>Source <select name="source">${option("", input.source, "any")}${sources.map((source) => option(source, input.source))}</select></label>
  <label>Event type <input name="eventType" list="event-types" value="${input.eventType ?? ""}" placeholder="any"></label>
  <datalist id="event-types">${eventTypes.map((type) => html`<option value="${type}"></option>`)}</datalist>
  <label>Status <select name="status">${option("", input.status, "any")}${DELIVERY_STATUSES.map((status) => option(status, input.status))}</select></label>
  <label>Since <input name="since" value="${input.since ?? ""}" placeholder="2h, 7d or UTC time"></label>
  <label>Until <input name="until" value="${input.until ?? ""}" placeholder="30m or UTC time"></label>
  <label class="grow">Search <input name="search" type="search" value="${input.search ?? ""}" placeholder="delivery id, event id or entity uid"></label>
  <div class="filter-actions"><button class="button button-primary" type="submit">Filter</button><a class="button" href="/inspect">Clear</a></div>
</form>`;
}
