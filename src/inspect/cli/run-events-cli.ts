import { Command, CommanderError } from "commander";
import { loadConfig } from "../../config/load-config.ts";
import { describeDatabase } from "../../inbox/database-url.ts";
import { addExportCommand } from "./add-export-command.ts";
import { addListCommand } from "./add-list-command.ts";
import { addPruneCommand } from "./add-prune-command.ts";
import { addReplayCommand } from "./add-replay-command.ts";
import { addShowCommand } from "./add-show-command.ts";
import { CliError } from "./cli-error.ts";
import { createCommandContext, type EventsCliDeps } from "./create-command-context.ts";

/**
 * `npm run events -- <command>`: list, show, replay, prune and export deliveries, straight from
 * the inbox database, so that it works whether or not the receiver is running. Resolves with the
 * exit code.
 */
export async function runEventsCli(argv: readonly string[], deps: EventsCliDeps): Promise<number> {
  const config = loadConfig(deps.env);
  if (!config.ok) {
    deps.err(config.error);
    return 1;
  }
  const program = createProgram(deps, describeDatabase(config.value));
  const context = createCommandContext(deps, config.value);
  addListCommand(program, context);
  addShowCommand(program, context);
  addReplayCommand(program, context);
  addPruneCommand(program, context);
  addExportCommand(program, context);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    return exitCodeFor(error, deps);
  }
}

/** The `events` command itself: help and usage errors go to `deps`; nothing exits the process. */
function createProgram(deps: EventsCliDeps, database: string): Command {
  return new Command("events")
    .description(`Inspect, replay, prune and export stored deliveries (database: ${database}).`)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.out(text.trimEnd()),
      writeErr: (text) => deps.err(text.trimEnd()),
    })
    .showHelpAfterError();
}

/** Commander has already printed its own errors; ours get the same `error:` prefix. */
function exitCodeFor(error: unknown, deps: EventsCliDeps): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof CliError) {
    deps.err(`error: ${error.message}`);
    return 1;
  }
  throw error;
}
