/**
 * The backlog section of `npm run bench`: a 1,000,000-row inbox built in place, the real receiver
 * over it in a child process, and in the same run: counts with filters, ingest p99 on the idle
 * inbox, drain rates at 1,000 and 200,000 pending, ingest p99 while 200,000 drain and an
 * inspect tab polls filtered counts, and SIGTERM in the middle of the drain.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { DeliveryFilter } from "../src/inbox/inspect-store.ts";
import { openSqliteStores, type SqliteStores } from "../src/inbox/sqlite/open-sqlite-stores.ts";
import { type BacklogServer, startBacklogServer } from "./backlog-server-process.ts";
import { benchDataDir } from "./bench-data-dir.ts";
import { buildInbox } from "./build-inbox.ts";
import {
  ingest,
  type LoadFigures,
  pollInspectPage,
  summarize,
  type Timings,
  timedGet,
} from "./load.ts";

export const ROWS = 1_000_000;
export const BIG_BACKLOG = 200_000;
export const SMALL_BACKLOG = 1_000;
const SPACING_MS = 500;
const LOAD = { connections: 8, seconds: 10 };
const COUNT_REPEATS = 40;

/** The filters the page offers, each as the query string of /inspect/api/counts. */
export const COUNT_FILTERS = [
  "",
  "source=credo",
  "eventType=ConversationSummaryUpdated",
  "status=dead",
  "since=1h",
  "source=credo&since=24h",
  "source=capturi&eventType=ConversationProcessed&since=7d",
  "search=0001",
  "search=000186a0-0000-4000",
];

export interface BacklogResults {
  rows: number;
  buildSeconds: number;
  /** Per filter; serverCpuMicros is the server's CPU time per request, steadier than latency. */
  counts: (Timings & { query: string; serverCpuMicros: number })[];
  filteredPage: Timings;
  idle: LoadFigures;
  drainPerSecond: { small: number; big: number };
  replaySeconds: number;
  /** Ingest while the backlog drains, no inspect tab: what the worker alone costs. */
  drainOnly: LoadFigures;
  backlog: LoadFigures & { pendingBefore: number; pendingAfter: number };
  inspectDuringBacklog: Timings;
  shutdown: { exitCode: number | null; stopMs: number; pendingLeft: number };
}

export async function measureBacklog(log: (line: string) => void): Promise<BacklogResults> {
  // On the project's disk, not /tmp: a tmpfs would make fsync free and the figures meaningless.
  const dir = benchDataDir("bench-backlog-");
  const file = path.join(dir, "inbox.db");
  try {
    log(`  building ${ROWS.toLocaleString("en-US")} deliveries`);
    const buildSeconds = buildInbox(file, { total: ROWS, spacingMs: SPACING_MS }) / 1000;
    const server = await startBacklogServer(file);
    const stores = openSqliteStores(file);
    try {
      return { rows: ROWS, buildSeconds, ...(await scenarios(server, stores, log)) };
    } finally {
      await stores.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scenarios(server: BacklogServer, stores: SqliteStores, log: (line: string) => void) {
  log("  counts with filters");
  // The server has just started: JIT and page cache warm on every filter before any is timed.
  for (const query of COUNT_FILTERS)
    await repeatGet(`${server.baseUrl}/inspect/api/counts?${query}`);
  const counts = [];
  for (const query of COUNT_FILTERS) {
    const cpuBefore = (await server.stats()).cpuMicros;
    const timings = await repeatGet(`${server.baseUrl}/inspect/api/counts?${query}`);
    const cpuMicros = (await server.stats()).cpuMicros - cpuBefore;
    counts.push({ query, ...timings, serverCpuMicros: cpuMicros / (COUNT_REPEATS + 2) });
  }
  const filteredPage = await repeatGet(`${server.baseUrl}/inspect?source=credo`);

  log(`  drain of ${SMALL_BACKLOG.toLocaleString("en-US")}`);
  await replayNewest(stores, SMALL_BACKLOG);
  const small = await drainUntilEmpty(stores);

  // After the small drain: every code path the later phases run (claims too) has run once.
  log("  ingest on the idle inbox");
  await ingest(server.baseUrl, { connections: LOAD.connections, seconds: 5 });
  const idle = await ingest(server.baseUrl, LOAD);

  log(`  replay of ${BIG_BACKLOG.toLocaleString("en-US")}, then drain, ingest and a polling tab`);
  const replayStarted = performance.now();
  await replayNewest(stores, BIG_BACKLOG);
  const replaySeconds = (performance.now() - replayStarted) / 1000;
  const big = await drainRate(stores, 5_000);

  const drainOnly = await ingest(server.baseUrl, LOAD);
  const pendingBefore = pending(stores);
  const polling = new AbortController();
  const poller = pollInspectPage(server.baseUrl, "source=credo", polling.signal);
  const load = await ingest(server.baseUrl, LOAD);
  polling.abort();
  const inspectDuringBacklog = await poller;
  const pendingAfter = pending(stores);

  log("  SIGTERM during the drain");
  const stopped = await server.stop();
  return {
    counts,
    filteredPage,
    idle,
    drainPerSecond: { small, big },
    replaySeconds,
    drainOnly,
    backlog: { ...load, pendingBefore, pendingAfter },
    inspectDuringBacklog,
    shutdown: { ...stopped, pendingLeft: pending(stores) },
  };
}

async function repeatGet(url: string): Promise<Timings> {
  const samples: number[] = [];
  let failures = 0;
  for (let i = 0; i < COUNT_REPEATS + 2; i += 1) {
    const answer = await timedGet(url);
    if (!answer.ok) failures += 1;
    if (i >= 2) samples.push(answer.ms);
  }
  return summarize(samples, failures);
}

function pending(stores: SqliteStores): number {
  const row = stores.db
    .prepare("SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'processing')")
    .get() as { n: number };
  return row.n;
}

/**
 * The newest `n` done deliveries (about: rows are evenly spaced, some are not done) back in the
 * queue, through the store's own batched replay, as `npm run events -- replay` does.
 */
async function replayNewest(stores: SqliteStores, n: number): Promise<number> {
  const filter: DeliveryFilter = {
    status: "done",
    since: new Date(Date.now() - Math.ceil(n / 0.95) * SPACING_MS),
  };
  const result = await stores.inspect.replayMatching(filter, new Date());
  return result.replayed;
}

/** Deliveries per second, from the first one taken until none is left (no other load). */
async function drainUntilEmpty(stores: SqliteStores): Promise<number> {
  const total = pending(stores);
  while (pending(stores) === total) await sleep(25);
  const started = performance.now();
  const first = pending(stores);
  while (pending(stores) > 0) await sleep(25);
  return first / ((performance.now() - started) / 1000);
}

/** Deliveries per second over a window, once the worker has started on the backlog. */
async function drainRate(stores: SqliteStores, windowMs: number): Promise<number> {
  const total = pending(stores);
  while (pending(stores) === total) await sleep(25);
  const before = pending(stores);
  const started = performance.now();
  await sleep(windowMs);
  return (before - pending(stores)) / ((performance.now() - started) / 1000);
}
