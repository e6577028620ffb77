import { DELIVERY_STATUSES, type DeliveryStatus } from "../../inbox/inbox.ts";
import type { IntervalCounts } from "../../inbox/inspect-store.ts";
import { html, type SafeHtml } from "../html.ts";

/** Bottom to top: settled work first, so that failures sit on top where the eye lands. */
const STACK: readonly DeliveryStatus[] = [
  "done",
  "unhandled",
  "pending",
  "processing",
  "invalid",
  "malformed",
  "dead",
];

const WIDTH = 1200;
const PLOT_TOP = 6;
const PLOT_BOTTOM = 96;
const LEFT = 40;
const LABEL_EVERY = 8;

/**
 * Deliveries per interval over the chart's range, stacked by status: a burst of failures or a
 * silent provider shows before a row is read. Plain SVG drawn on the server; colours come from
 * the stylesheet (`.bar-<status>`, the status badges' colours), so the CSP needs no exception.
 */
export function deliveryChart(chart: IntervalCounts, hours: number): SafeHtml {
  const totals = chart.buckets.map((bucket) => sum(bucket.counts));
  const max = Math.max(1, ...totals);
  const slot = (WIDTH - LEFT) / Math.max(1, chart.buckets.length);
  const scale = (PLOT_BOTTOM - PLOT_TOP) / max;
  const all = totals.reduce((a, b) => a + b, 0);
  const bars = chart.buckets.map((bucket, index) => {
    const x = LEFT + index * slot + 1;
    let y = PLOT_BOTTOM;
    const segments = STACK.filter((status) => bucket.counts[status] > 0).map((status) => {
      const height = bucket.counts[status] * scale;
      y -= height;
      return html`<rect class="bar-${status}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot - 2).toFixed(1)}" height="${height.toFixed(1)}"></rect>`;
    });
    const total = totals[index] ?? 0;
    // An empty interval still answers a hover, so that "nothing arrived" is readable too.
    return html`<g class="bar" data-total="${total}"><title>${describe(bucket.startMs, chart.bucketMs, bucket.counts, total)}</title><rect class="bar-hover" x="${x.toFixed(1)}" y="${PLOT_TOP}" width="${(slot - 2).toFixed(1)}" height="${PLOT_BOTTOM - PLOT_TOP}"></rect>${segments}</g>`;
  });
  const labels = chart.buckets
    .map((bucket, index) => ({ bucket, index }))
    .filter(({ index }) => index % LABEL_EVERY === 0)
    .map(
      ({ bucket, index }) =>
        html`<text class="chart-label" x="${(LEFT + index * slot).toFixed(1)}" y="112">${clock(bucket.startMs)}</text>`,
    );
  return html`<section class="chart card" id="chart" data-total="${all}">
<div class="card-head"><h2>Last ${hours} hours</h2><span class="muted">${all.toLocaleString("en-US")}${chart.capped ? "+" : ""} deliveries · ${chart.bucketMs / 60_000} min per bar · UTC</span></div>
<svg viewBox="0 0 ${WIDTH} 116" width="100%" role="img" aria-label="Deliveries per ${chart.bucketMs / 60_000} minutes over the last ${hours} hours, by status">
<line class="chart-axis" x1="${LEFT}" y1="${PLOT_BOTTOM + 0.5}" x2="${WIDTH}" y2="${PLOT_BOTTOM + 0.5}"></line>
<text class="chart-label" x="0" y="${PLOT_TOP + 10}">${max}</text><text class="chart-label" x="0" y="${PLOT_BOTTOM}">0</text>
${bars}${labels}
</svg>
<ul class="legend">${STACK.map((status) => html`<li><span class="swatch swatch-${status}"></span>${status}</li>`)}</ul>
${chart.capped ? html`<p class="muted">More deliveries than the chart reads arrived in this range: the oldest bars are floors.</p>` : ""}
</section>`;
}

function sum(counts: Record<DeliveryStatus, number>): number {
  return DELIVERY_STATUSES.reduce((total, status) => total + counts[status], 0);
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function describe(
  startMs: number,
  bucketMs: number,
  counts: Record<DeliveryStatus, number>,
  total: number,
): string {
  const parts = STACK.filter((status) => counts[status] > 0).map(
    (status) => `${counts[status]} ${status}`,
  );
  const when = `${clock(startMs)}–${clock(startMs + bucketMs)} UTC`;
  return `${when}: ${total === 0 ? "none" : `${total} (${parts.join(", ")})`}`;
}
