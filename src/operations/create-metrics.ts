import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { DELIVERY_STATUSES } from "../inbox/inbox.ts";
import { COUNT_CAP, type InspectStore } from "../inbox/inspect-store.ts";
import type { WorkQueue } from "../inbox/work-queue.ts";

/** What the receive step knew when it answered one request. */
export interface ReceiveFacts {
  /** A configured source's name; anything else is counted as `unknown` (bounded labels). */
  source: string;
  /** `stored`, `duplicate`, `invalid`, `unhandled`, `malformed`, or `refused`. */
  outcome: string;
  /** The refusal's `code` (e.g. `signature_mismatch`); empty unless refused. */
  code: string;
  statusCode: number;
  seconds: number;
}

/** What became of one processing attempt; `released` and `lost` end without an outcome stored. */
export type AttemptLabel = "succeeded" | "retry" | "dead" | "skipped" | "released" | "lost";

export interface Metrics {
  /** The Prometheus text of every metric, gauges read from the store now. */
  scrape(): Promise<{ contentType: string; body: string }>;
  received(facts: ReceiveFacts): void;
  attempt(source: string, outcome: AttemptLabel, handlerSeconds: number): void;
  /** From receipt to the handler's success, first run only (a replay would count its age). */
  done(source: string, secondsSinceReceipt: number): void;
  commitBatchSize(size: number): void;
  leaseLost(): void;
  /** One HTTP request of a provider API client (each retry counts); `error` when none answered. */
  apiRequest(status: number | "error"): void;
}

export interface MetricsOptions {
  /** The configured sources: any other `source` label becomes `unknown`. */
  sources: readonly string[];
  inspect: Pick<InspectStore, "countByStatus">;
  queue: Pick<WorkQueue, "oldestDueAgeMs">;
  now?: () => Date;
}

const PREFIX = "webhook_inbox_";
/** From 1 ms to 30 s: an acknowledgement's commit, and a handler that calls an API. */
const SECONDS_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
/** From 10 ms to a day: processing that waits for retries with backoff. */
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 21600, 86400];

/**
 * Every metric of one receiver process, in a registry of its own (never prom-client's global
 * one, so that two receivers in one test process do not share counters). The gauges read the
 * store only when scraped: per-status counts capped at `COUNT_CAP` (index range scans) and one
 * index probe for the oldest due delivery, cheap at a million rows.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const known = new Set(options.sources);
  const now = options.now ?? (() => new Date());
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const received = new Counter({
    name: `${PREFIX}deliveries_received_total`,
    help: "Webhook requests answered, by source and outcome (refused: by the code of the answer).",
    labelNames: ["source", "outcome", "code"] as const,
    registers,
  });
  const receiveSeconds = new Histogram({
    name: `${PREFIX}receive_duration_seconds`,
    help: "From the request's arrival to its 2xx, the commit included, by source.",
    labelNames: ["source"] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const attempts = new Counter({
    name: `${PREFIX}attempts_total`,
    help: "Processing attempts by outcome (succeeded, retry, dead, skipped, released, lost).",
    labelNames: ["source", "outcome"] as const,
    registers,
  });
  const handlerSeconds = new Histogram({
    name: `${PREFIX}handler_duration_seconds`,
    help: "How long handlers ran, by source and outcome of the attempt.",
    labelNames: ["source", "outcome"] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const doneSeconds = new Histogram({
    name: `${PREFIX}received_to_done_seconds`,
    help: "From receipt to the handler's success (retries included, replays not), by source.",
    labelNames: ["source"] as const,
    buckets: LAG_BUCKETS,
    registers,
  });
  const batchSize = new Histogram({
    name: `${PREFIX}commit_batch_size`,
    help: "Deliveries and rejections written by one group commit (one fsync or one transaction).",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers,
  });
  const leasesLost = new Counter({
    name: `${PREFIX}leases_lost_total`,
    help: "Handlers aborted because their lease expired and another worker took the delivery.",
    registers,
  });
  const apiRequests = new Counter({
    name: `${PREFIX}integration_api_requests_total`,
    help: "HTTP requests to provider APIs (Capturi's Integration API), each retry counted, by status.",
    labelNames: ["status"] as const,
    registers,
  });
  new Gauge({
    name: `${PREFIX}deliveries`,
    help: `Deliveries in the inbox by status, counted up to ${COUNT_CAP} per status (a floor past that).`,
    labelNames: ["status"] as const,
    registers,
    async collect() {
      // A store that cannot be read (an outage) leaves the last figures; the counters still serve.
      const read = await options.inspect.countByStatus({}).catch(() => undefined);
      for (const status of DELIVERY_STATUSES) {
        if (read) this.set({ status }, read.counts[status] ?? 0);
      }
    },
  });
  new Gauge({
    name: `${PREFIX}oldest_due_pending_age_seconds`,
    help: "How long the longest-waiting due pending delivery has waited for a worker; 0 when none.",
    registers,
    async collect() {
      const ageMs = await options.queue.oldestDueAgeMs(now()).catch(() => undefined);
      if (ageMs !== undefined) this.set(ageMs / 1000);
    },
  });

  const sourceLabel = (source: string) => (known.has(source) ? source : "unknown");

  return {
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    received(facts) {
      const source = sourceLabel(facts.source);
      received.inc({ source, outcome: facts.outcome, code: facts.code });
      if (facts.statusCode >= 200 && facts.statusCode < 300) {
        receiveSeconds.observe({ source }, facts.seconds);
      }
    },
    attempt(source, outcome, seconds) {
      attempts.inc({ source: sourceLabel(source), outcome });
      handlerSeconds.observe({ source: sourceLabel(source), outcome }, seconds);
    },
    done: (source, seconds) => doneSeconds.observe({ source: sourceLabel(source) }, seconds),
    commitBatchSize: (size) => batchSize.observe(size),
    leaseLost: () => leasesLost.inc(),
    apiRequest: (status) => apiRequests.inc({ status: String(status) }),
  };
}
