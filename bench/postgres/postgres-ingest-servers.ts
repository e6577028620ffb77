/**
 * The servers of the PostgreSQL section, run as a child of `bench/run.ts` so that autocannon does
 * not share their event loop: the bare Express baseline, the real app over SQLite and the real app
 * over PostgreSQL (BENCH_DATABASE_URL), all in this one process so that each ratio divides by a
 * baseline measured beside it. Tells the parent its ports over IPC, answers "cpu" with its CPU
 * time; removes its SQLite file on SIGTERM.
 */
import { mkdirSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express from "express";
import { pino } from "pino";
import { createApp } from "../../src/app.ts";
import { sources } from "../../src/handlers/index.ts";
import { createHttpServer } from "../../src/http/create-http-server.ts";
import { openPostgresStores } from "../../src/inbox/postgres/open-postgres-stores.ts";
import { openSqliteStores } from "../../src/inbox/sqlite/open-sqlite-stores.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { createLogger } from "../../src/log/create-logger.ts";
import { capturiSource } from "../../src/sources/capturi/capturi-source.ts";
import { configureSources } from "../../src/sources/configure-sources.ts";
import { credoSource } from "../../src/sources/credo/credo-source.ts";
import { benchDataDir } from "../bench-data-dir.ts";
import { BENCH_CAPTURI_TOKEN, BENCH_CREDO_SECRET, BODY_LIMIT_BYTES } from "../bench-secrets.ts";

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error("set BENCH_DATABASE_URL");

// On the project's disk, not /tmp: a tmpfs would make fsync free and the figures meaningless.
const dataRoot = path.resolve(import.meta.dirname, "../../data");
mkdirSync(dataRoot, { recursive: true });
const dataDir = benchDataDir("bench-pg-");
const sqlite = openSqliteStores(path.join(dataDir, "inbox.db"));
const postgres = await openPostgresStores(url);

function app(stores: Stores) {
  return createApp({
    inbox: stores.inbox,
    sources: configureSources(sources, {
      credo: { ...credoSource.settings.parse({}), secrets: [BENCH_CREDO_SECRET] },
      capturi: { ...capturiSource.settings.parse({}), tokens: [BENCH_CAPTURI_TOKEN] },
    }),
    logger: createLogger({ level: "info", destination: pino.destination("/dev/null") }),
    bodyLimitBytes: BODY_LIMIT_BYTES,
  });
}

const bare = express();
bare.post("/bare", express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }), (_req, res) => {
  res.status(204).end();
});

const servers = [
  createHttpServer(bare),
  createHttpServer(app(sqlite)),
  createHttpServer(app(postgres)),
];
await Promise.all(
  servers.map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))),
);
const [barePort, sqlitePort, postgresPort] = servers.map(
  (server) => (server.address() as AddressInfo).port,
);
process.send?.({
  barePort,
  sqlitePort,
  postgresPort,
  synchronousCommit: postgres.synchronousCommit,
});

process.on("message", (message) => {
  if (message !== "cpu") return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuMicros: user + system });
});

process.once("SIGTERM", async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all([sqlite.close(), postgres.close()]);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
