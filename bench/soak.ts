/**
 * `npm run bench -- --soak`: steady ingest at a fixed rate for five minutes, with the worker
 * processing every delivery, sampling the server's resident memory every 10 s. Flat within noise
 * is the target: nothing kept per delivery in memory.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { startBacklogServer } from "./backlog-server-process.ts";
import { benchDataDir } from "./bench-data-dir.ts";
import { buildInbox } from "./build-inbox.ts";
import { ingest, type LoadFigures } from "./load.ts";

export const SOAK = { seconds: 300, ratePerSecond: 200, connections: 8, sampleEveryMs: 10_000 };

export interface SoakResults {
  load: LoadFigures;
  /** Server RSS in MiB, one sample every 10 s from the start of the load. */
  rssMiB: number[];
}

export async function runSoak(log: (line: string) => void): Promise<SoakResults> {
  const dir = benchDataDir("bench-soak-");
  const file = path.join(dir, "inbox.db");
  try {
    buildInbox(file, { total: 10_000 });
    const server = await startBacklogServer(file);
    const rssMiB: number[] = [];
    const sample = async () => rssMiB.push((await server.stats()).rssBytes / 1024 / 1024);
    await sample();
    const sampler = setInterval(() => void sample(), SOAK.sampleEveryMs);
    log(`  ${SOAK.seconds} s at ${SOAK.ratePerSecond} deliveries/s`);
    const load = await ingest(server.baseUrl, SOAK);
    clearInterval(sampler);
    await sample();
    await server.stop();
    return { load, rssMiB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
