import { existsSync } from "node:fs";
import path from "node:path";
import { CliError } from "../../cli/cli-error.ts";
import type { Config } from "../../config/load-config.ts";
import { describeDatabase } from "../../inbox/database-url.ts";
import { type InspectStore, StoreBusyError } from "../../inbox/inspect-store.ts";
import { openStores, type StoresOptions } from "../../inbox/open-stores.ts";

/** What `createCommandContext` takes from the CLI's caller. */
export interface CommandContextDeps {
  out: (line: string) => void;
  /** Relative paths (the database, `export --out`) resolve from here. */
  cwd?: string;
  now?: () => Date;
}

/** What every `events` subcommand gets: where to print, the clock, the settings and the inbox. */
export interface CommandContext {
  out: (line: string) => void;
  /** Prints a value as indented JSON, for `--json`. */
  printJson: (value: unknown) => void;
  now: () => Date;
  /** Relative paths (`export --out`) resolve from here. */
  cwd: string;
  /** RETENTION_DAYS: how old a delivery must be for `prune` to delete it. */
  retentionDays: number;
  /** Opens the inbox for one command and closes it afterwards. */
  withStore: <T>(use: (store: InspectStore) => Promise<T>) => Promise<T>;
}

export function createCommandContext(
  deps: CommandContextDeps,
  config: Pick<Config, "databasePath" | "databaseUrl" | "retentionDays">,
): CommandContext {
  const cwd = deps.cwd ?? process.cwd();
  return {
    out: (line) => deps.out(line),
    printJson: (value) => deps.out(JSON.stringify(value, null, 2)),
    now: deps.now ?? (() => new Date()),
    cwd,
    retentionDays: config.retentionDays,
    withStore: (use) =>
      withInspectStore(
        { databasePath: path.resolve(cwd, config.databasePath), databaseUrl: config.databaseUrl },
        use,
      ),
  };
}

async function withInspectStore<T>(
  options: StoresOptions,
  use: (store: InspectStore) => Promise<T>,
): Promise<T> {
  // Opening a missing file would create an empty inbox and list nothing, which hides the mistake.
  if (!options.databaseUrl && !existsSync(options.databasePath)) {
    throw new CliError(
      `No inbox at ${options.databasePath}. Start the receiver once (npm start) or set DATABASE_PATH / DATA_DIR.`,
    );
  }
  const stores = await openStores(options).catch((error: unknown) => {
    throw new CliError(
      `Cannot open the inbox (${describeDatabase(options)}): ${(error as Error).message}`,
    );
  });
  try {
    return await use(stores.inspect);
  } catch (error) {
    // A crowded database is an outage the user can wait out, not a bug: no stack trace.
    if (error instanceof StoreBusyError) throw new CliError(error.message);
    throw error;
  } finally {
    await stores.close();
  }
}
