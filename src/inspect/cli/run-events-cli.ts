import type { Command } from "commander";
import { CliError } from "../../cli/cli-error.ts";
import { type CliOutput, createCliProgram } from "../../cli/create-cli-program.ts";
import { runCli } from "../../cli/run-cli.ts";
import { type Config, loadConfig } from "../../config/load-config.ts";
import { describeDatabase } from "../../inbox/database-url.ts";
import { addExportCommand } from "./add-export-command.ts";
import { addListCommand } from "./add-list-command.ts";
import { addPruneCommand } from "./add-prune-command.ts";
import { addReplayCommand } from "./add-replay-command.ts";
import { addShowCommand } from "./add-show-command.ts";
import { type CommandContextDeps, createCommandContext } from "./create-command-context.ts";

export interface EventsCliDeps extends CliOutput, CommandContextDeps {
  /** Where DATABASE_PATH / DATA_DIR come from, as for the receiver. */
  env: Record<string, string | undefined>;
}

/**
 * `npm run events -- <command>`: list, show, replay, prune and export deliveries, straight from
 * the inbox database, so that it works whether or not the receiver is running. Resolves with the
 * exit code.
 */
export function runEventsCli(argv: readonly string[], deps: EventsCliDeps): Promise<number> {
  return runCli(argv, deps, () => {
    const config = loadConfig(deps.env);
    if (!config.ok) throw new CliError(config.error);
    return createEventsProgram(deps, config.value);
  });
}

function createEventsProgram(deps: EventsCliDeps, config: Config): Command {
  const program = createCliProgram("events", deps).description(
    `Inspect, replay, prune and export stored deliveries (database: ${describeDatabase(config)}).`,
  );
  const context = createCommandContext(deps, config);
  addListCommand(program, context);
  addShowCommand(program, context);
  addReplayCommand(program, context);
  addPruneCommand(program, context);
  addExportCommand(program, context);
  return program;
}
