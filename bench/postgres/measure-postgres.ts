/**
 * The PostgreSQL section of `npm run bench`: ingest on PostgreSQL beside SQLite and the bare
 * Express baseline (same process, same run, same load), and claims + finishes per second with 1, 2
 * and 4 workers on each store. Uses BENCH_DATABASE_URL (a user that may CREATE DATABASE) or starts
 * a throwaway local server with fsync on, as the tests do; says why when neither is possible.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { openPostgresStores } from "../../src/inbox/postgres/open-postgres-stores.ts";
import { openSqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import { withClient } from "../../test/helpers/postgres/create-test-database.ts";
import { startPostgresServer } from "../../test/helpers/postgres/start-postgres-server.ts";
import { benchDataDir } from "../bench-data-dir.ts";
import { BENCH_CAPTURI_TOKEN } from "../bench-secrets.ts";
import {
  combineRounds,
  type IngestFigures,
  type IngestLoad,
  type IngestScenario,
  measureIngestRound,
  warmUp,
} from "../measure-ingest.ts";
import { capturiBody } from "../payloads.ts";
import { type ClaimFigures, measureClaims } from "./measure-claims.ts";

export interface PostgresResults {
  server: string;
  synchronousCommit: { session: string; databaseDefault: string };
  bytes: number;
  ingest: (IngestFigures & { route: string; ratio: number })[];
  claims: { sqlite: ClaimFigures[]; postgres: ClaimFigures[] };
  backlog: number;
}

export type PostgresSection = PostgresResults | { skipped: string };

const BYTES = 1024;
const BACKLOG = 2_000;
const DATA_ROOT = path.resolve(import.meta.dirname, "../../data");

interface Ports {
  barePort: number;
  sqlitePort: number;
  postgresPort: number;
  synchronousCommit: PostgresResults["synchronousCommit"];
}

export async function measurePostgres(load: IngestLoad): Promise<PostgresSection> {
  mkdirSync(DATA_ROOT, { recursive: true });
  const given = process.env.BENCH_DATABASE_URL;
  let server: Awaited<ReturnType<typeof startPostgresServer>> | undefined;
  try {
    // On the project's disk with fsync on: a commit costs what it costs in production.
    if (!given) server = await startPostgresServer({ durable: true, parentDir: DATA_ROOT });
  } catch (error) {
    return { skipped: `no PostgreSQL server could be started: ${(error as Error).message}` };
  }
  const adminUrl = given ?? server?.url ?? "";
  try {
    const ingestUrl = await freshDatabase(adminUrl, "bench_ingest");
    const { ingest, synchronousCommit } = await measureIngest(ingestUrl, load);
    process.stderr.write("  measured PostgreSQL ingest\n");
    const claimsUrl = await freshDatabase(adminUrl, "bench_claims");
    const postgres = await measureClaims(() => openPostgresStores(claimsUrl), BACKLOG);
    const dir = benchDataDir("bench-claims-");
    const sqlite = await measureClaims(
      async () => openSqliteStores(path.join(dir, "inbox.db")),
      BACKLOG,
    ).finally(() => rmSync(dir, { recursive: true, force: true }));
    process.stderr.write("  measured claims\n");
    return {
      server: server?.version ?? "BENCH_DATABASE_URL",
      synchronousCommit,
      bytes: BYTES,
      ingest,
      claims: { sqlite, postgres },
      backlog: BACKLOG,
    };
  } finally {
    await server?.stop();
  }
}

async function measureIngest(url: string, load: IngestLoad) {
  const child = fork(new URL("./postgres-ingest-servers.ts", import.meta.url), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_DATABASE_URL: url },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const [ports] = (await once(child, "message")) as [Ports];
    const scenarios = ingestScenarios(ports);
    for (const scenario of scenarios) await warmUp(scenario, load);
    const rounds: IngestFigures[][] = scenarios.map(() => []);
    for (let round = 0; round < load.rounds; round += 1) {
      for (const [index, scenario] of scenarios.entries()) {
        rounds[index]?.push(await measureIngestRound(scenario, load, cpuReader(child)));
      }
    }
    const combined = rounds.map(combineRounds);
    const baseline = combined[0]?.requestsPerSecond ?? 0;
    const ingest = combined.map((figures, index) => ({
      route: scenarios[index]?.name ?? "",
      ...figures,
      ratio: figures.requestsPerSecond / baseline,
    }));
    return { ingest, synchronousCommit: ports.synchronousCommit };
  } finally {
    child.kill("SIGTERM");
    if (child.exitCode === null) await once(child, "exit");
  }
}

function ingestScenarios(ports: Ports): IngestScenario[] {
  const capturi = capturiBody(BYTES);
  const headers = {
    "content-type": "application/json",
    authorization: `Bearer ${BENCH_CAPTURI_TOKEN}`,
  };
  const next = () => ({ headers, body: capturi.fresh() });
  return [
    { name: "bare Express, 204", url: `http://127.0.0.1:${ports.barePort}/bare`, next },
    {
      name: "/webhooks/capturi on SQLite",
      url: `http://127.0.0.1:${ports.sqlitePort}/webhooks/capturi`,
      next,
    },
    {
      name: "/webhooks/capturi on PostgreSQL",
      url: `http://127.0.0.1:${ports.postgresPort}/webhooks/capturi`,
      next,
    },
  ];
}

function cpuReader(child: ChildProcess) {
  return async () => {
    child.send("cpu");
    const [reply] = (await once(child, "message")) as [{ cpuMicros: number }];
    return reply.cpuMicros;
  };
}

async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The human view of the section. */
export function printPostgresSection(section: PostgresSection): void {
  if ("skipped" in section) {
    process.stdout.write(`\nPostgreSQL: skipped (${section.skipped})\n`);
    return;
  }
  const ingest = section.ingest
    .map(
      (row) =>
        `  ${row.route.padEnd(32)} ${row.requestsPerSecond.toFixed(0).padStart(6)} req/s  ratio ${row.ratio.toFixed(2)}  p99 ${row.p99Ms} ms  server CPU ${row.serverCpuMicrosPerRequest.toFixed(0)} µs/req  failures ${row.failures}`,
    )
    .join("\n");
  const claims = (figures: ClaimFigures[]) =>
    figures.map((f) => `${f.workers}: ${f.perSecond.toFixed(0)}/s`).join(", ");
  process.stdout.write(
    [
      "",
      `PostgreSQL: ${section.server}, fsync on, synchronous_commit=${section.synchronousCommit.session} (database default ${section.synchronousCommit.databaseDefault})`,
      `Ingest, ${section.bytes / 1024} KiB Capturi bodies, same process and load for all three, ratio to the bare route:`,
      ingest,
      `Claims + finishes per second draining ${section.backlog} deliveries, workers on separate connections:`,
      `  SQLite      ${claims(section.claims.sqlite)}`,
      `  PostgreSQL  ${claims(section.claims.postgres)}`,
      "",
    ].join("\n"),
  );
}
