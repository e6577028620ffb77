import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { BENCH_CAPTURI_TOKEN } from "./bench-secrets.ts";
import { capturiBody } from "./payloads.ts";

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Non-2xx answers, socket errors and timeouts: every delivery must be acknowledged. */
  failures: number;
  answered: number;
}

/** Fresh 1 KiB Capturi deliveries (new idempotency keys): the insert path, as in production. */
export async function ingest(
  baseUrl: string,
  options: { connections: number; seconds: number; ratePerSecond?: number },
): Promise<LoadFigures> {
  const body = capturiBody(1024);
  const headers = {
    "content-type": "application/json",
    authorization: `Bearer ${BENCH_CAPTURI_TOKEN}`,
  };
  const result = await autocannon({
    url: `${baseUrl}/webhooks/capturi`,
    connections: options.connections,
    duration: options.seconds,
    ...(options.ratePerSecond ? { overallRate: options.ratePerSecond } : {}),
    requests: [
      { method: "POST", setupRequest: (request) => ({ ...request, headers, body: body.fresh() }) },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    failures: result.non2xx + result.errors + result.timeouts,
    answered: result.requests.total,
  };
}

export interface Timings {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  failures: number;
}

export function summarize(samplesMs: number[], failures = 0): Timings {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1), failures };
}

/** One GET, timed; the body is read to the end. */
export async function timedGet(url: string): Promise<{ ms: number; ok: boolean; body: string }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = await res.text();
  return { ms: performance.now() - started, ok: res.ok, body };
}

/**
 * What an open inspect tab does, made harsher: the live list with its counts every second
 * (the page asks for counts every 5 s) and the whole page every 5 s, with `query` as filter.
 */
export async function pollInspectPage(
  baseUrl: string,
  query: string,
  signal: AbortSignal,
): Promise<Timings> {
  const samples: number[] = [];
  let failures = 0;
  let after = 0;
  for (let tick = 0; !signal.aborted; tick += 1) {
    const page = tick % 5 === 0;
    const answer = await timedGet(
      page
        ? `${baseUrl}/inspect?${query}`
        : `${baseUrl}/inspect/api/updates?${query}&after=${after}&counts=1`,
    );
    samples.push(answer.ms);
    if (!answer.ok) failures += 1;
    else if (page) after = Number(/data-newest-id="(\d+)"/.exec(answer.body)?.[1] ?? after);
    else after = JSON.parse(answer.body).seenThroughId ?? after;
    await sleep(1000, undefined, { signal }).catch(() => {});
  }
  return summarize(samples, failures);
}
