import type { DeliveryAnswer } from "../../inbox/inbox.ts";
import type { DeliveryDetail, StoredAttempt } from "../../inbox/inspect-store.ts";
import type { ReplayCurl } from "../build-replay-curl.ts";
import { html, type SafeHtml } from "../html.ts";
import { arrivalsTable } from "./arrivals-table.ts";
import { fact, card as section } from "./card.ts";
import { curlCard } from "./curl-card.ts";
import { layout } from "./layout.ts";
import { prettyJson, relativeTime, statusPill, time } from "./parts.ts";

export interface DeliveryPageOptions {
  /** What relative times ("2 min ago", "in 4 min") are measured from. */
  now: Date;
  /** The "Copy as curl" command for the default URL, and that URL. */
  curl: ReplayCurl;
  curlUrl: string;
}

export function deliveryPage(detail: DeliveryDetail, options: DeliveryPageOptions): string {
  const { delivery } = detail;
  const { now } = options;
  const body = html`
<p class="crumbs"><a href="/inspect">← Deliveries</a></p>
<div class="page-head" id="delivery" data-id="${delivery.id}" data-status="${delivery.status}">
  <h1>Delivery #${delivery.id}</h1>
  <span data-cell="status">${statusPill(delivery.status)}</span>
  <span class="source source-${delivery.source}">${delivery.source}</span>
  <span class="event-type">${delivery.eventType ?? "(no event type)"}</span>
</div>
<div class="toolbar">
  ${
    detail.replayable.ok
      ? html`<button type="button" class="button button-primary" id="replay" data-id="${delivery.id}">Replay</button>
  <span class="muted">Parses the stored body again with today's schemas and runs its handler.</span>`
      : html`<button type="button" class="button" disabled>Replay</button>
  <span class="muted">Cannot replay. ${detail.replayable.reason}</span>`
  }
  ${retryNow(detail)}
  <span class="muted" id="action-result" role="status"></span>
</div>
<div class="grid">
${section(
  "Summary",
  html`<dl class="facts">
  ${fact("Received", relativeTime(delivery.receivedAt, now))}
  ${fact("Request", html`<span class="mono">${delivery.method} ${delivery.path}</span>`)}
  ${fact("Event id", html`<span class="mono">${delivery.idempotencyKey ?? "–"}</span>`)}
  ${fact("Entity uid", html`<span class="mono">${delivery.entityUid ?? "–"}</span>`)}
  ${fact("Payload", delivery.payloadMode ?? "–")}
  ${fact("Attempts", String(delivery.attemptCount))}
  ${delivery.nextAttemptAt ? fact("Next attempt", relativeTime(delivery.nextAttemptAt, now)) : ""}
  ${fact("Processed", relativeTime(delivery.processedAt, now))}
  ${delivery.lastError ? fact("Last error", html`<span class="error">${delivery.lastError}</span>`) : ""}
</dl>`,
)}
<div>
${section("Authentication", authentication(detail))}
${section("Answer", answer(delivery.answer))}
</div>
</div>
${section(`Arrivals (${detail.arrivals.length + detail.arrivalsNotListed})`, arrivalsTable(detail, now))}
${delivery.issues && delivery.issues.length > 0 ? section("Parse issues", html`<ul class="issues">${delivery.issues.map((issue) => html`<li><code>${issue.path || "(root)"}</code> ${issue.message}</li>`)}</ul>`) : ""}
${section("Body", bodyBlock(delivery.body), html`<button type="button" class="button button-small" data-copy="body">Copy</button>`)}
${section(
  "Headers",
  html`<p class="muted">Secret-bearing headers were redacted before the delivery was stored.</p>
<table class="kv" id="headers">${Object.entries(delivery.headers).map(([name, value]) => html`<tr><th>${name}</th><td class="mono">${value}</td></tr>`)}</table>`,
)}
${section("Attempts", attempts(detail.attempts))}
${curlCard({ id: delivery.id, url: options.curlUrl, curl: options.curl })}
${detail.snapshot ? section("Conversation snapshot", snapshot(detail), html`<button type="button" class="button button-small" data-copy="snapshot">Copy</button>`) : ""}
<p class="muted">Turn it into a regression test: <code>npm run events -- export ${delivery.id}</code></p>`;
  return layout({ title: `Delivery #${delivery.id}`, section: "deliveries", body });
}

/** For a pending delivery that waits out its backoff: run it now instead. */
function retryNow({ delivery, retryableNow }: DeliveryDetail): SafeHtml {
  if (!retryableNow.ok) return html``;
  return html`<button type="button" class="button" id="retry-now" data-id="${delivery.id}">Retry now</button>
  <span class="muted">It waits out its backoff; this runs it at once and keeps its attempt count.</span>`;
}

/** What the sender got back at receipt (duplicates got the same status: see Arrivals). */
function answer(stored: DeliveryAnswer | null): SafeHtml {
  if (!stored) {
    return html`<p class="muted">Not kept: it was stored before answers were recorded.</p>`;
  }
  let body = stored.body;
  try {
    body = prettyJson(JSON.parse(stored.body));
  } catch {
    // Shown as stored.
  }
  return html`<p><span class="pill pill-http-${Math.floor(stored.statusCode / 100)}xx">HTTP ${stored.statusCode}</span></p>
<pre class="code code-short" id="answer">${body}</pre>`;
}

const AUTH_METHOD_NAMES: Readonly<Record<string, string>> = {
  "standard-webhooks": "Standard Webhooks signature",
  "header-token": "header token",
};

function authentication({ delivery }: DeliveryDetail): SafeHtml {
  if (delivery.authMethod === "none") {
    return html`<p><span class="pill pill-unverified">not verified</span> The source's authentication was off (<code>none</code>) when it arrived.</p>`;
  }
  const what = AUTH_METHOD_NAMES[delivery.authMethod] ?? delivery.authMethod;
  return html`<p><span class="pill pill-verified">verified at receipt</span></p>
<dl class="facts">${fact("Method", what)}${fact("Matched", html`<span class="mono">${delivery.authKey ?? "–"}</span>`)}</dl>
<p class="muted">Replays keep this result: the stored bytes are not checked again.</p>`;
}

function bodyBlock(body: Buffer): SafeHtml {
  const text = body.toString("utf8");
  try {
    return html`<pre class="code" id="body">${prettyJson(JSON.parse(text))}</pre>`;
  } catch {
    return html`<p class="muted">Not JSON (${body.length} bytes), shown as text:</p><pre class="code" id="body">${text}</pre>`;
  }
}

function attempts(list: readonly StoredAttempt[]): SafeHtml {
  if (list.length === 0) return html`<p class="muted">No attempts yet.</p>`;
  return html`<table class="attempts" id="attempts">
<thead><tr><th>#</th><th>trigger</th><th>started</th><th>took</th><th>outcome</th><th>worker</th><th>error</th></tr></thead>
<tbody>${list.map(
    (attempt) => html`<tr data-trigger="${attempt.trigger}">
  <td class="num">${attempt.number}</td>
  <td><span class="pill pill-trigger">${attempt.trigger}</span></td>
  <td class="nowrap">${time(attempt.startedAt)}</td>
  <td class="num">${attempt.endedAt ? `${attempt.endedAt.getTime() - attempt.startedAt.getTime()} ms` : "running"}</td>
  <td>${attempt.outcome ? html`<span class="pill pill-outcome-${attempt.outcome}">${attempt.outcome}</span>` : "–"}</td>
  <td class="mono nowrap">${attempt.worker}</td>
  <td class="error">${attempt.error ?? ""}</td>
</tr>`,
  )}</tbody></table>`;
}

function snapshot({ snapshot }: DeliveryDetail): SafeHtml {
  if (!snapshot) return html``;
  return html`<dl class="facts">
  ${fact("Origin", snapshot.origin === "api" ? "fetched from the Integration API" : "embedded in a Full payload")}
  ${fact("Last changed", time(snapshot.lastChanged))}
  ${fact("Stored", time(snapshot.storedAt))}
  ${fact("From delivery", snapshot.deliveryId === null ? "–" : html`<a href="/inspect/deliveries/${snapshot.deliveryId}">#${snapshot.deliveryId}</a>`)}
</dl>
<pre class="code code-short" id="snapshot">${prettyJson(snapshot.conversation)}</pre>`;
}
