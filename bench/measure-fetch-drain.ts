/**
 * Drain rate when each handler fetches its conversation from an Integration API stand-in that
 * answers in 50 ms: what WORKER_CONCURRENCY buys when handlers wait on I/O.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { openSqliteStores } from "../src/inbox/sqlite/open-sqlite-stores.ts";
import { startBacklogServer } from "./backlog-server-process.ts";
import { benchDataDir } from "./bench-data-dir.ts";
import { buildInbox } from "./build-inbox.ts";
import { startIntegrationApiStandIn } from "./integration-api-stand-in.ts";

export const API_DELAY_MS = 50;
export const FETCH_CONCURRENCIES = [4, 16];
const ROWS = 20_000;
const SPACING_MS = 500;
const WINDOW_MS = 5_000;

export interface FetchDrain {
  concurrency: number;
  perSecond: number;
  /** What the concurrency allows at best: one fetch of API_DELAY_MS per handler at a time. */
  ceilingPerSecond: number;
  /** The server's CPU time (all threads) per delivery drained: what bounds it below the ceiling. */
  serverCpuMicrosPerDelivery: number;
}

export async function measureFetchDrain(log: (line: string) => void): Promise<FetchDrain[]> {
  const dir = benchDataDir("bench-fetch-");
  const file = path.join(dir, "inbox.db");
  const api = await startIntegrationApiStandIn(API_DELAY_MS);
  try {
    buildInbox(file, { total: ROWS, spacingMs: SPACING_MS });
    const results: FetchDrain[] = [];
    for (const concurrency of FETCH_CONCURRENCIES) {
      log(`  drain with a ${API_DELAY_MS} ms API at WORKER_CONCURRENCY=${concurrency}`);
      const server = await startBacklogServer(file, {
        BENCH_HANDLER: "fetch",
        CAPTURI_API_URL: api.baseUrl,
        WORKER_CONCURRENCY: String(concurrency),
      });
      const stores = openSqliteStores(file);
      const queued = () =>
        (
          stores.db
            .prepare(
              "SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'processing')",
            )
            .get() as { n: number }
        ).n;
      const since = new Date(Date.now() - ROWS * SPACING_MS);
      await stores.inspect.replayMatching({ source: "capturi", status: "done", since }, new Date());
      const total = queued();
      while (queued() === total) await sleep(25);
      const before = queued();
      const cpuBefore = (await server.stats()).cpuMicros;
      const started = performance.now();
      await sleep(WINDOW_MS);
      const drained = before - queued();
      const cpuMicros = (await server.stats()).cpuMicros - cpuBefore;
      results.push({
        concurrency,
        perSecond: drained / ((performance.now() - started) / 1000),
        ceilingPerSecond: (concurrency * 1000) / API_DELAY_MS,
        serverCpuMicrosPerDelivery: cpuMicros / Math.max(1, drained),
      });
      await server.stop();
      await stores.close();
    }
    return results;
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
