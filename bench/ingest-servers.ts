/**
 * The servers under load, run as a child of `bench/run.ts` so that autocannon does not share their
 * event loop: a bare Express route (the baseline), a bare `node:http` listener (the ceiling of the
 * machine) and the real app over a real SQLite file.
 * Tells the parent its ports over IPC, answers "cpu" with its CPU time; removes its database on
 * SIGTERM.
 */
import { rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express from "express";
import { pino } from "pino";
import { createApp } from "../src/app.ts";
import { sources } from "../src/handlers/index.ts";
import { createHttpServer } from "../src/http/create-http-server.ts";
import { openSqliteStores } from "../src/inbox/sqlite/open-sqlite-stores.ts";
import { createLogger } from "../src/log/create-logger.ts";
import { capturiSource } from "../src/sources/capturi/capturi-source.ts";
import { configureSources } from "../src/sources/configure-sources.ts";
import { credoSource } from "../src/sources/credo/credo-source.ts";
import { benchDataDir } from "./bench-data-dir.ts";
import { BENCH_CAPTURI_TOKEN, BENCH_CREDO_SECRET, BODY_LIMIT_BYTES } from "./bench-secrets.ts";

// On the project's disk, not /tmp: a tmpfs would make fsync free and the figures meaningless.
const dataDir = benchDataDir("bench-");
const stores = openSqliteStores(path.join(dataDir, "inbox.db"));
const { db, inbox } = stores;
// BENCH_SYNCHRONOUS=OFF shows the ceiling without fsync (not power-loss safe; for comparison only).
if (process.env.BENCH_SYNCHRONOUS) db.pragma(`synchronous = ${process.env.BENCH_SYNCHRONOUS}`);

const app = createApp({
  inbox,
  sources: configureSources(sources, {
    credo: { ...credoSource.settings.parse({}), secrets: [BENCH_CREDO_SECRET] },
    capturi: { ...capturiSource.settings.parse({}), tokens: [BENCH_CAPTURI_TOKEN] },
  }),
  // The real logger writes one line per delivery; /dev/null keeps the cost, not the output.
  logger: createLogger({ level: "info", destination: pino.destination("/dev/null") }),
  bodyLimitBytes: BODY_LIMIT_BYTES,
});

const bare = express();
bare.post("/bare", express.raw({ type: () => true, limit: BODY_LIMIT_BYTES }), (_req, res) => {
  res.status(204).end();
});

// What Node itself costs: read the whole body, answer 204, no framework.
const raw = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    Buffer.concat(chunks);
    res.statusCode = 204;
    res.end();
  });
});

const servers = [createHttpServer(bare), createHttpServer(app), raw];
await Promise.all(
  servers.map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))),
);
const [barePort, appPort, rawPort] = servers.map(
  (server) => (server.address() as AddressInfo).port,
);
process.send?.({
  barePort,
  appPort,
  rawPort,
  journalMode: db.pragma("journal_mode", { simple: true }),
  synchronous: ["OFF", "NORMAL", "FULL", "EXTRA"][
    db.pragma("synchronous", { simple: true }) as number
  ],
});

// The parent asks for this process's CPU time around each measured run.
process.on("message", (message) => {
  if (message !== "cpu") return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuMicros: user + system });
});

process.once("SIGTERM", () => {
  for (const server of servers) server.closeAllConnections();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
