import type { StoredRejection } from "../../inbox/inbox.ts";
import { html, type SafeHtml } from "../html.ts";
import type { RejectionFilterInput } from "../parse-rejection-filter.ts";
import { filterActions, selectField, textField, timeFields } from "./filter-fields.ts";
import { layout } from "./layout.ts";
import { prettyJson, relativeTime } from "./parts.ts";

export interface RejectionsPageOptions {
  rejections: readonly StoredRejection[];
  input: RejectionFilterInput;
  sources: readonly string[];
  now: Date;
  olderHref?: string | undefined;
  error?: string | undefined;
}

/** Codes the receiver refuses with, suggested in the code filter. */
const KNOWN_CODES = [
  "signature_mismatch",
  "signature_malformed",
  "missing_signature_headers",
  "timestamp_outside_tolerance",
  "timestamp_invalid",
  "invalid_token",
  "missing_token",
  "payload_too_large",
  "unsupported_media_type",
  "method_not_allowed",
  "body_unreadable",
  "unknown_source",
];

export function rejectionsPage(options: RejectionsPageOptions): string {
  const { rejections, input } = options;
  const filtered = Object.values(input).some((value) => value?.trim());
  const body = html`
<div class="page-head"><h1>Rejected requests</h1></div>
<p class="muted">Requests the receiver refused, newest first, with why. Only the newest 1,000 and the first 4 KiB of each body are kept; secret headers are redacted.</p>
<form class="filters" method="get" action="/inspect/rejections">
  ${selectField("Source", "source", options.sources, input.source)}
  ${textField("Code", "code", input.code, "any, e.g. signature_mismatch", { list: "rejection-codes" })}
  <datalist id="rejection-codes">${KNOWN_CODES.map((code) => html`<option value="${code}"></option>`)}</datalist>
  ${timeFields(input)}
  ${filterActions("/inspect/rejections")}
</form>
${options.error ? html`<p class="notice notice-error">${options.error}</p>` : ""}
${
  rejections.length === 0
    ? html`<p class="empty">${filtered ? "No refused request matches." : "No request has been refused."}</p>`
    : html`<div class="table-wrap"><table class="rejections" id="rejections">
<thead><tr><th>received</th><th>source</th><th>request</th><th>status</th><th>code</th><th>why</th></tr></thead>
<tbody>${rejections.map((rejection) => row(rejection, options.now))}</tbody></table></div>`
}
${options.olderHref ? html`<nav class="pager"><a class="button" href="${options.olderHref}">Older →</a></nav>` : ""}`;
  return layout({ title: "Rejected requests", section: "rejections", body });
}

function row(rejection: StoredRejection, now: Date): SafeHtml {
  return html`<tr>
  <td class="nowrap">${relativeTime(rejection.receivedAt, now)}</td>
  <td>${rejection.source ? html`<span class="source source-${rejection.source}">${rejection.source}</span>` : "–"}</td>
  <td class="mono">${rejection.method} ${rejection.path}</td>
  <td class="num"><span class="pill pill-http">${rejection.statusCode}</span></td>
  <td class="mono">${rejection.code}</td>
  <td class="why">${rejection.message}
    <details><summary>headers and body (${rejection.bodyBytes} bytes)</summary>
      <pre class="code code-short">${prettyJson(rejection.headers)}</pre>
      <pre class="code code-short">${rejection.bodyExcerpt.toString("utf8")}</pre>
    </details>
  </td>
</tr>`;
}
