/**
 * The whole receiver as `npm start` wires it (`startReceiver`: worker, inspect pages, retention
 * off), over an existing inbox, as a child of the backlog bench. `BENCH_HANDLER=noop` handlers
 * return at once without yielding; `fetch` ones load the conversation through the Integration
 * API client (`CAPTURI_API_URL`, a stand-in of the bench). Tells the parent its port over IPC,
 * answers "stats" with its RSS and CPU time, and stops gracefully on SIGTERM.
 */
import { pino } from "pino";
import { loadConfig } from "../src/config/load-config.ts";
import { defineHandlers } from "../src/handlers/define-handlers.ts";
import { sources } from "../src/handlers/index.ts";
import { startReceiver } from "../src/start-receiver.ts";
import { BENCH_CAPTURI_TOKEN, BENCH_CREDO_SECRET } from "./bench-secrets.ts";

const fetchConversations = process.env.BENCH_HANDLER === "fetch";
const capturi = fetchConversations
  ? async (_event: unknown, ctx: { conversation(): Promise<unknown> }) =>
      void (await ctx.conversation())
  : () => {};

const config = loadConfig(
  {
    DATABASE_PATH: process.env.BENCH_DATABASE,
    PORT: "0",
    HOST: "127.0.0.1",
    CAPTURI_TOKENS: BENCH_CAPTURI_TOKEN,
    CREDO_WEBHOOK_SECRETS: BENCH_CREDO_SECRET,
    CAPTURI_API_URL: process.env.CAPTURI_API_URL,
    CAPTURI_API_TOKEN: "bench-api-token",
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY,
    RETENTION_DAYS: "0",
  },
  sources,
);
if (!config.ok) throw new Error(config.error);

const receiver = await startReceiver({
  config: config.value,
  sources,
  handlers: defineHandlers(sources, {
    capturi: { ConversationProcessed: capturi, ConversationSummaryUpdated: capturi },
    credo: { use_case_name_updated: () => {} },
  }),
  // One log line per delivery costs what it costs in production; /dev/null keeps the cost.
  logger: pino({ level: "info" }, pino.destination("/dev/null")),
});
process.send?.({ port: receiver.port });

process.on("message", (message) => {
  if (message !== "stats") return;
  const { user, system } = process.cpuUsage();
  process.send?.({ rssBytes: process.memoryUsage.rss(), cpuMicros: user + system });
});

process.once("SIGTERM", async () => {
  await receiver.stop();
  process.exit(0);
});
