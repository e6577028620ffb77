/**
 * `npm run bench`: ingest throughput of the webhook routes against a bare Express route, and
 * signature verification against the `standardwebhooks` package and a bare HMAC, all measured in
 * this one run. Prints a table and writes bench/results.json. Loopback only; about a minute.
 * The routes of one size are measured in turns (baseline, capturi, credo, baseline, ...), and the
 * server's CPU time per request is read around each run: both keep the figures readable on a
 * shared machine whose other load comes and goes.
 * Then the backlog section (bench/measure-backlog.ts). Flags pick sections: --ingest, --backlog,
 * --indexes (cost of each index), --soak (five minutes of steady ingest). See bench/README.md.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { BENCH_CAPTURI_TOKEN, BENCH_CREDO_SECRET } from "./bench-secrets.ts";
import {
  combineRounds,
  type IngestFigures,
  type IngestLoad,
  type IngestScenario,
  measureIngestRound,
  type ReadServerCpu,
  warmUp,
} from "./measure-ingest.ts";
import { measureVerification } from "./measure-verification.ts";
import { capturiBody, credoBody, signFresh } from "./payloads.ts";
import { runPostgresSection } from "./postgres/run-postgres.ts";
import { type BenchResults, type IngestRow, printResults } from "./print-results.ts";
import { runBacklogSection, runIndexSection, runSoakSection } from "./run-backlog-sections.ts";

const KIB = 1024;
const INGEST_SIZES = [1 * KIB, 100 * KIB];
const VERIFY_SIZES = [1 * KIB, 100 * KIB, 1024 * KIB];
const LOAD: IngestLoad = { connections: 32, warmUpSeconds: 1, durationSeconds: 2, rounds: 3 };
const VERIFY_SECONDS_EACH = 1;

interface ServerInfo {
  barePort: number;
  appPort: number;
  rawPort: number;
  journalMode: string;
  synchronous: string;
}

const flags = new Set(process.argv.slice(2));
const chosen = ["--ingest", "--backlog", "--indexes", "--soak"].filter((flag) => flags.has(flag));
// No flag: the ingest section, then the backlog section (about 5 minutes in all).
if (chosen.length === 0 || flags.has("--ingest")) await runIngestSection();
if (chosen.length === 0 || flags.has("--backlog")) await runBacklogSection();
if (flags.has("--indexes")) await runIndexSection();
if (flags.has("--soak")) await runSoakSection();

async function runIngestSection(): Promise<void> {
  const child = fork(new URL("./ingest-servers.ts", import.meta.url), {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const [info] = (await once(child, "message")) as [ServerInfo];
    const ingest = await measureAllIngest(info, serverCpuReader(child));
    await stop(child);
    const verification = VERIFY_SIZES.map((bytes) =>
      measureVerification(bytes, VERIFY_SECONDS_EACH),
    );
    const results: BenchResults = {
      measuredAt: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
      durability: `journal_mode=${info.journalMode}, synchronous=${info.synchronous}, group commit (every 2xx waits for the commit that holds its delivery)`,
      load: LOAD,
      ingest,
      verification,
    };
    printResults(results);
    writeFileSync(
      new URL("./results.json", import.meta.url),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}
// PostgreSQL beside SQLite, in a section of its own (see bench/postgres/).
if (!process.argv.includes("--no-postgres")) await runPostgresSection(LOAD);

async function measureAllIngest(info: ServerInfo, readCpu: ReadServerCpu): Promise<IngestRow[]> {
  const rows: IngestRow[] = [];
  for (const bytes of INGEST_SIZES) {
    const scenarios = ingestScenarios(info, bytes);
    for (const scenario of scenarios) await warmUp(scenario, LOAD);
    const rounds: IngestFigures[][] = scenarios.map(() => []);
    for (let round = 0; round < LOAD.rounds; round += 1) {
      for (const [index, scenario] of scenarios.entries()) {
        rounds[index]?.push(await measureIngestRound(scenario, LOAD, readCpu));
      }
    }
    const combined = rounds.map(combineRounds);
    const baseline = combined[0]?.requestsPerSecond ?? 0;
    combined.forEach((figures, index) => {
      const route = scenarios[index]?.name ?? "";
      rows.push({ bytes, route, ...figures, ratio: figures.requestsPerSecond / baseline });
    });
    process.stderr.write(`  measured ${bytes / KIB} KiB\n`);
  }
  return rows;
}

/** The baseline first: every ratio divides by it. Each request has a fresh idempotency key. */
function ingestScenarios(info: ServerInfo, bytes: number): IngestScenario[] {
  const capturi = capturiBody(bytes);
  const credo = credoBody(bytes);
  const json = { "content-type": "application/json" };
  const capturiHeaders = { ...json, authorization: `Bearer ${BENCH_CAPTURI_TOKEN}` };
  return [
    {
      name: "bare Express, 204",
      url: `http://127.0.0.1:${info.barePort}/bare`,
      next: () => ({ headers: capturiHeaders, body: capturi.fresh() }),
    },
    {
      name: "raw node:http, 204",
      url: `http://127.0.0.1:${info.rawPort}/raw`,
      next: () => ({ headers: capturiHeaders, body: capturi.fresh() }),
    },
    {
      name: "/webhooks/capturi",
      url: `http://127.0.0.1:${info.appPort}/webhooks/capturi`,
      next: () => ({ headers: capturiHeaders, body: capturi.fresh() }),
    },
    {
      name: "/webhooks/credo",
      url: `http://127.0.0.1:${info.appPort}/webhooks/credo`,
      next: () => ({ headers: { ...json, ...signFresh(BENCH_CREDO_SECRET, credo) }, body: credo }),
    },
  ];
}

function serverCpuReader(server: ChildProcess): ReadServerCpu {
  return async () => {
    server.send("cpu");
    const [reply] = (await once(server, "message")) as [{ cpuMicros: number }];
    return reply.cpuMicros;
  };
}

async function stop(server: ChildProcess): Promise<void> {
  server.kill("SIGTERM");
  await once(server, "exit");
}
