import type { Command } from "commander";
import { CliError } from "../../cli/cli-error.ts";
import type { InspectStore } from "../../inbox/inspect-store.ts";
import type { FilterInput } from "../parse-filter.ts";
import { addFilterOptions, readFilterOptions } from "./add-filter-options.ts";
import type { CommandContext } from "./create-command-context.ts";
import { countOf } from "./format-text.ts";
import { parsePositiveInt } from "./parse-positive-int.ts";

/** `events replay [id]`: puts one delivery, or every one the filters match, back in the queue. */
export function addReplayCommand(program: Command, context: CommandContext): void {
  addFilterOptions(
    program
      .command("replay")
      .description(
        "Put deliveries back in the queue: parsed again with today's schemas and handled, as attempts with trigger replay. The running receiver's worker picks them up within its poll interval.",
      )
      .argument(
        "[id]",
        "one delivery; without it, every delivery that matches the filters",
        parsePositiveInt,
      ),
  ).action(async (id: number | undefined, options: FilterInput) => {
    await context.withStore((store) =>
      id === undefined ? replayMatching(store, options, context) : replayOne(store, id, context),
    );
  });
}

async function replayOne(store: InspectStore, id: number, context: CommandContext): Promise<void> {
  const outcome = await store.replay(id, context.now());
  if (!outcome.ok) throw new CliError(`Delivery ${id} cannot be replayed. ${outcome.reason}`);
  context.out(
    `Delivery ${id} (${outcome.previousStatus}) is pending again; the worker runs it shortly.`,
  );
}

async function replayMatching(
  store: InspectStore,
  options: FilterInput,
  context: CommandContext,
): Promise<void> {
  const filter = readFilterOptions(options, context.now());
  // An empty filter matches every delivery; replaying the whole inbox by accident is costly.
  if (Object.keys(filter).length === 0) {
    throw new CliError(
      "Give a delivery id, or filters (e.g. --status dead --since 24h) to replay many.",
    );
  }
  const result = await store.replayMatching(filter, context.now());
  const skipped = Object.entries(result.skipped).map(([status, n]) => `${n} ${status}`);
  const leftAlone = skipped.length ? ` Left alone: ${skipped.join(", ")}.` : "";
  context.out(`Replayed ${countOf(result.replayed, "delivery", "deliveries")}.${leftAlone}`);
}
