import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { loadConfig } from "../../config/load-config.ts";
import { createSqliteInspectStore } from "../../inbox/create-sqlite-inspect-store.ts";
import { DELIVERY_STATUSES } from "../../inbox/inbox.ts";
import type { InspectStore } from "../../inbox/inspect-store.ts";
import { openDatabase } from "../../inbox/open-database.ts";
import { type FilterInput, formatCursor, parseCursor, parseFilter } from "../parse-filter.ts";
import { defaultFixturePath, fixtureHint, toDeliveryFixture } from "./export-fixture.ts";
import { formatCounts, formatDetail, formatPrune, formatTable } from "./format-text.ts";

export interface EventsCliDeps {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where DATABASE_PATH / DATA_DIR come from, as for the receiver. */
  env: Record<string, string | undefined>;
  /** Relative paths (the database, `export --out`) resolve from here. */
  cwd?: string;
  now?: () => Date;
}

/** A failure the user can fix: printed as `error: <message>`, exit code 1. */
class CliError extends Error {}

interface FilterOptions extends FilterInput {
  json?: boolean;
}

const DAY_MS = 86_400_000;

/**
 * `npm run events -- <command>`: list, show, replay, prune and export deliveries, straight from
 * the inbox database, so that it works whether or not the receiver is running. Resolves with the
 * exit code.
 */
export async function runEventsCli(argv: readonly string[], deps: EventsCliDeps): Promise<number> {
  const now = deps.now ?? (() => new Date());
  const cwd = deps.cwd ?? process.cwd();
  const config = loadConfig(deps.env);
  if (!config.ok) {
    deps.err(config.error);
    return 1;
  }
  const { databasePath, retentionDays } = config.value;
  const json = (value: unknown) => deps.out(JSON.stringify(value, null, 2));

  async function withStore<T>(use: (store: InspectStore) => Promise<T>): Promise<T> {
    const file = path.resolve(cwd, databasePath);
    if (!existsSync(file)) {
      throw new CliError(
        `No inbox at ${file}. Start the receiver once (npm start) or set DATABASE_PATH / DATA_DIR.`,
      );
    }
    const db = openDatabase(file);
    try {
      return await use(createSqliteInspectStore(db));
    } finally {
      db.close();
    }
  }

  function filterOf(options: FilterInput) {
    const parsed = parseFilter(options, now());
    if (!parsed.ok) throw new CliError(parsed.error);
    return parsed.value;
  }

  const program = new Command("events")
    .description(`Inspect, replay, prune and export stored deliveries (database: ${databasePath}).`)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.out(text.trimEnd()),
      writeErr: (text) => deps.err(text.trimEnd()),
    })
    .showHelpAfterError();

  withFilters(
    program.command("list").description("Newest deliveries first, with the page's filters."),
  )
    .option("--limit <n>", "rows per page (at most 200)", positiveInt, 50)
    .option("--before <cursor>", "the cursor printed under the previous page")
    .option("--json", "print JSON instead of a table")
    .action(async (options: FilterOptions & { limit: number; before?: string }) => {
      const filter = filterOf(options);
      const before = options.before === undefined ? undefined : parseCursor(options.before);
      if (options.before !== undefined && !before)
        throw new CliError("--before takes the cursor printed under a page.");
      await withStore(async (store) => {
        const page = await store.listDeliveries(filter, {
          limit: options.limit,
          ...(before ? { before } : {}),
        });
        const next = page.nextCursor ? formatCursor(page.nextCursor) : null;
        if (options.json) return json({ deliveries: page.deliveries, nextCursor: next });
        const counts = await store.countByStatus(filter);
        for (const line of formatTable(page.deliveries)) deps.out(line);
        deps.out("");
        deps.out(`${page.deliveries.length} shown · ${formatCounts(counts) || "none stored"}`);
        if (next) deps.out(`older: npm run events -- list --before ${next}`);
      });
    });

  program
    .command("show")
    .description(
      "One delivery: headers, body, authentication, parse issues, attempts and snapshot.",
    )
    .argument("<id>", "the delivery id", positiveInt)
    .option("--json", "print JSON")
    .action(async (id: number, options: { json?: boolean }) => {
      await withStore(async (store) => {
        const detail = await store.getDelivery(id);
        if (!detail) throw new CliError(`No delivery ${id}.`);
        if (options.json)
          return json({
            ...detail,
            delivery: { ...detail.delivery, body: detail.delivery.body.toString("utf8") },
          });
        for (const line of formatDetail(detail)) deps.out(line);
      });
    });

  withFilters(
    program
      .command("replay")
      .description(
        "Put deliveries back in the queue: parsed again with today's schemas and handled, as attempts with trigger replay. The running receiver's worker picks them up within its poll interval.",
      )
      .argument(
        "[id]",
        "one delivery; without it, every delivery that matches the filters",
        positiveInt,
      ),
  ).action(async (id: number | undefined, options: FilterOptions) => {
    await withStore(async (store) => {
      if (id !== undefined) {
        const outcome = await store.replay(id, now());
        if (!outcome.ok) throw new CliError(`Delivery ${id} not replayed: ${outcome.reason}`);
        return deps.out(
          `Delivery ${id} (${outcome.previousStatus}) is pending again; the worker runs it shortly.`,
        );
      }
      const filter = filterOf(options);
      if (Object.keys(filter).length === 0) {
        throw new CliError(
          "Give a delivery id, or filters (e.g. --status dead --since 24h) to replay many.",
        );
      }
      const result = await store.replayMatching(filter, now());
      const skipped = Object.entries(result.skipped).map(([status, n]) => `${n} ${status}`);
      deps.out(
        `Replayed ${result.replayed} deliveries.${skipped.length ? ` Left alone: ${skipped.join(", ")}.` : ""}`,
      );
    });
  });

  program
    .command("prune")
    .description(
      "Delete deliveries (with attempts), unreferenced snapshots and rejections older than the retention.",
    )
    .option(
      "--older-than-days <n>",
      `age in days (default RETENTION_DAYS, now ${retentionDays})`,
      positiveInt,
    )
    .option("--dry-run", "only count what would be deleted")
    .action(async (options: { olderThanDays?: number; dryRun?: boolean }) => {
      const days = options.olderThanDays ?? retentionDays;
      if (days <= 0)
        throw new CliError(
          "RETENTION_DAYS=0 keeps everything; pass --older-than-days to prune anyway.",
        );
      const cutoff = new Date(now().getTime() - days * DAY_MS);
      await withStore(async (store) =>
        deps.out(formatPrune(await store.prune(cutoff, { dryRun: options.dryRun ?? false }))),
      );
    });

  program
    .command("export")
    .description(
      "Write a delivery as a test fixture (signatures and credential-like values stripped).",
    )
    .argument("<id>", "the delivery id", positiveInt)
    .option(
      "--out <file>",
      "where to write it (default test/fixtures/exported/<source>.<event>.<id>.json)",
    )
    .action(async (id: number, options: { out?: string }) => {
      await withStore(async (store) => {
        const detail = await store.getDelivery(id);
        if (!detail) throw new CliError(`No delivery ${id}.`);
        const result = toDeliveryFixture(detail.delivery);
        if (!result.ok) throw new CliError(result.error);
        const file = options.out ?? defaultFixturePath(detail.delivery);
        const absolute = path.resolve(cwd, file);
        mkdirSync(path.dirname(absolute), { recursive: true });
        writeFileSync(absolute, `${JSON.stringify(result.fixture, null, 2)}\n`);
        deps.out(`Wrote ${file}`);
        deps.out("");
        deps.out(fixtureHint(file, result.fixture));
      });
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      deps.err(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** The same filters as the inspect page. */
function withFilters(command: Command): Command {
  return command
    .option("--source <name>", "capturi or credo")
    .option("--event-type <type>", "e.g. ConversationProcessed, use_case_review_comment")
    .option("--status <status>", DELIVERY_STATUSES.join(" | "))
    .option(
      "--since <time>",
      "received at or after: 2025-05-13T10:00Z, 2025-05-13 10:00 (UTC), or 2h / 7d ago",
    )
    .option("--until <time>", "received before (same forms as --since)")
    .option("--search <text>", "a delivery id, or the start of an event id or entity uid");
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError("expected a positive whole number");
  return Number(value);
}
