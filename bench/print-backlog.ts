import type { BacklogResults } from "./measure-backlog.ts";
import type { FetchDrain } from "./measure-fetch-drain.ts";
import type { IndexCost } from "./measure-index-cost.ts";
import type { SoakResults } from "./soak.ts";

const P99_RATIO_TARGET = 1.5;
const COUNTS_P95_TARGET_MS = 50;

const ms = (n: number) => n.toFixed(1);
const mark = (ok: boolean) => (ok ? "met" : "NOT met");

export function backlogLines(r: BacklogResults, fetchDrain: FetchDrain[]): string[] {
  const ratio = r.backlog.p99Ms / Math.max(1, r.idle.p99Ms);
  const worstCount = Math.max(...r.counts.map((c) => c.p95Ms));
  const load = (name: string, f: BacklogResults["idle"]) =>
    `  ${name.padEnd(44)} ${f.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${String(f.p50Ms).padStart(4)} ms  p99 ${String(f.p99Ms).padStart(4)} ms  max ${String(f.maxMs).padStart(5)} ms  failures ${f.failures}`;
  return [
    "",
    `Backlog: ${r.rows.toLocaleString("en-US")} deliveries built in ${r.buildSeconds.toFixed(0)} s; the receiver (worker, no-op handlers that never yield, inspect) in a child process`,
    "Counts (GET /inspect/api/counts, 40 each, sequential, idle inbox; server CPU per request)",
    ...r.counts.map(
      (c) =>
        `  ${(c.query || "(no filter)").padEnd(58)} p50 ${ms(c.p50Ms).padStart(6)}  p95 ${ms(c.p95Ms).padStart(6)} ms  CPU ${(c.serverCpuMicros / 1000).toFixed(1).padStart(5)} ms`,
    ),
    `  ${"GET /inspect?source=credo (page with counts)".padEnd(58)} p50 ${ms(r.filteredPage.p50Ms).padStart(6)}  p95 ${ms(r.filteredPage.p95Ms).padStart(6)} ms`,
    "Ingest, 8 connections, 10 s, fresh 1 KiB Capturi deliveries",
    load("idle inbox (every delivery then processed)", r.idle),
    load("while the backlog drains", r.drainOnly),
    load("while it drains and a tab polls source=credo", r.backlog),
    `  pending ${r.backlog.pendingBefore.toLocaleString("en-US")} before, ${r.backlog.pendingAfter.toLocaleString("en-US")} after (drained meanwhile: ${drainedUnderLoad(r).toFixed(0)}/s); the polling tab: p50 ${ms(r.inspectDuringBacklog.p50Ms)} ms, p95 ${ms(r.inspectDuringBacklog.p95Ms)} ms, ${r.inspectDuringBacklog.failures} failures`,
    `Drain, no-op handler: ${r.drainPerSecond.small.toFixed(0)}/s at 1,000 pending, ${r.drainPerSecond.big.toFixed(0)}/s at ~200,000 (replay of those took ${r.replaySeconds.toFixed(1)} s, batched)`,
    ...fetchDrain.map(
      (d) =>
        `Drain, handler fetching from a 50 ms API, WORKER_CONCURRENCY=${d.concurrency}: ${d.perSecond.toFixed(0)}/s (ceiling ${d.ceilingPerSecond}/s; server CPU ${d.serverCpuMicrosPerDelivery.toFixed(0)} µs per delivery)`,
    ),
    `SIGTERM during the drain: exit ${r.shutdown.exitCode} after ${r.shutdown.stopMs.toFixed(0)} ms, ${r.shutdown.pendingLeft.toLocaleString("en-US")} left for the next start`,
    `Target ingest p99 during backlog ≤ ${P99_RATIO_TARGET}× idle: ${ratio.toFixed(2)}× (${mark(ratio <= P99_RATIO_TARGET && r.backlog.failures === 0)})`,
    `Target counts p95 < ${COUNTS_P95_TARGET_MS} ms with any filter: worst ${ms(worstCount)} ms (${mark(worstCount < COUNTS_P95_TARGET_MS)})`,
  ];
}

/** Deliveries the worker finished per second while ingest ran at full speed (each one adds one). */
function drainedUnderLoad(r: BacklogResults): number {
  const { pendingBefore, pendingAfter, answered } = r.backlog;
  return (pendingBefore + answered - pendingAfter) / 10;
}

export function indexLines(costs: IndexCost[]): string[] {
  const all = costs.find((c) => c.without === "(all)");
  return [
    "",
    "Cost per index (synchronous=OFF; µs per delivery; saved = what leaving it out saves)",
    ...costs.map((c) => {
      const saved = all ? all.insertMicros - c.insertMicros : 0;
      const savedClaim = all ? all.claimAndFinishMicros - c.claimAndFinishMicros : 0;
      return `  ${c.without.padEnd(34)} insert ${c.insertMicros.toFixed(0).padStart(5)} (saved ${saved.toFixed(0).padStart(4)})  claim+finish ${c.claimAndFinishMicros.toFixed(0).padStart(6)} (saved ${savedClaim.toFixed(0).padStart(6)})`;
    }),
  ];
}

export function soakLines(s: SoakResults): string[] {
  const [first = 0] = s.rssMiB;
  const last = s.rssMiB.at(-1) ?? 0;
  return [
    "",
    `Soak: ${s.load.answered.toLocaleString("en-US")} deliveries at ${s.load.requestsPerSecond.toFixed(0)}/s, p99 ${s.load.p99Ms} ms, failures ${s.load.failures}`,
    `  server RSS MiB every 10 s: ${s.rssMiB.map((n) => n.toFixed(0)).join(" ")}`,
    `  start ${first.toFixed(0)} MiB, end ${last.toFixed(0)} MiB, max ${Math.max(...s.rssMiB).toFixed(0)} MiB`,
  ];
}
