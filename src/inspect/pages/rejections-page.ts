import type { StoredRejection } from "../../inbox/inbox.ts";
import { html } from "../html.ts";
import { layout } from "./layout.ts";
import { prettyJson, time } from "./parts.ts";

export function rejectionsPage(rejections: readonly StoredRejection[], olderHref?: string): string {
  const body = html`
<div class="page-head"><h1>Rejected requests</h1></div>
<p class="muted">Requests the receiver refused, newest first, with why. Only the newest 1,000 and the first 4 KiB of each body are kept; secret headers are redacted.</p>
${
  rejections.length === 0
    ? html`<p class="empty">No request has been refused.</p>`
    : html`<div class="table-wrap"><table class="rejections">
<thead><tr><th>received</th><th>source</th><th>request</th><th>status</th><th>code</th><th>why</th></tr></thead>
<tbody>${rejections.map(
        (rejection) => html`<tr>
  <td class="nowrap">${time(rejection.receivedAt)}</td>
  <td>${rejection.source ? html`<span class="source source-${rejection.source}">${rejection.source}</span>` : "–"}</td>
  <td class="mono">${rejection.method} ${rejection.path}</td>
  <td class="num"><span class="pill pill-http">${rejection.statusCode}</span></td>
  <td class="mono">${rejection.code}</td>
  <td>${rejection.message}
    <details><summary>headers and body (${rejection.bodyBytes} bytes)</summary>
      <pre class="code code-short">${prettyJson(rejection.headers)}</pre>
      <pre class="code code-short">${rejection.bodyExcerpt.toString("utf8")}</pre>
    </details>
  </td>
</tr>`,
      )}</tbody></table></div>`
}
${olderHref ? html`<nav class="pager"><a class="button" href="${olderHref}">Older →</a></nav>` : ""}`;
  return layout({ title: "Rejected requests", section: "rejections", body });
}
