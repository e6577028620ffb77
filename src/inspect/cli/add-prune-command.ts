import type { Command } from "commander";
import { CliError } from "../../cli/cli-error.ts";
import type { CommandContext } from "./create-command-context.ts";
import { formatPrune } from "./format-text.ts";
import { parsePositiveInt } from "./parse-positive-int.ts";

const DAY_MS = 86_400_000;

interface PruneOptions {
  olderThanDays?: number;
  dryRun?: boolean;
}

/** `events prune`: deletes what is older than the retention, as the receiver does each day. */
export function addPruneCommand(program: Command, context: CommandContext): void {
  program
    .command("prune")
    .description(
      "Delete deliveries (with attempts), unreferenced snapshots and rejections older than the retention.",
    )
    .option(
      "--older-than-days <n>",
      `age in days (default RETENTION_DAYS, now ${context.retentionDays})`,
      parsePositiveInt,
    )
    .option("--dry-run", "only count what would be deleted")
    .action(async (options: PruneOptions) => {
      const days = options.olderThanDays ?? context.retentionDays;
      if (days <= 0)
        throw new CliError(
          "RETENTION_DAYS=0 keeps everything; pass --older-than-days to prune anyway.",
        );
      const cutoff = new Date(context.now().getTime() - days * DAY_MS);
      const dryRun = options.dryRun ?? false;
      await context.withStore(async (store) =>
        context.out(formatPrune(await store.prune(cutoff, { dryRun }))),
      );
    });
}
