import type { Command } from "commander";
import { CliError } from "../../cli/cli-error.ts";
import { DELIVERY_STATUSES } from "../../inbox/inbox.ts";
import type { DeliveryFilter } from "../../inbox/inspect-store.ts";
import { type FilterInput, parseFilter } from "../parse-filter.ts";

/** The same filters as the inspect page, for `list` and `replay`. */
export function addFilterOptions(command: Command): Command {
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

/** The filter those options describe; a wrong value fails with a message that names the option. */
export function readFilterOptions(options: FilterInput, now: Date): DeliveryFilter {
  const parsed = parseFilter(options, now);
  if (!parsed.ok) throw new CliError(parsed.error);
  return parsed.value;
}
