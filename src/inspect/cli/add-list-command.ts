import type { Command } from "commander";
import { CliError } from "../../cli/cli-error.ts";
import type { Cursor } from "../../inbox/inspect-store.ts";
import { type FilterInput, formatCursor, parseCursor } from "../parse-filter.ts";
import { addFilterOptions, readFilterOptions } from "./add-filter-options.ts";
import type { CommandContext } from "./create-command-context.ts";
import { formatListSummary, formatTable } from "./format-text.ts";
import { parsePositiveInt } from "./parse-positive-int.ts";

interface ListOptions extends FilterInput {
  limit: number;
  before?: string;
  json?: boolean;
}

/** `events list`: a page of deliveries, newest first, as a table with counts or as JSON. */
export function addListCommand(program: Command, context: CommandContext): void {
  addFilterOptions(
    program.command("list").description("Newest deliveries first, with the page's filters."),
  )
    .option("--limit <n>", "rows per page (at most 200)", parsePositiveInt, 50)
    .option("--before <cursor>", "the cursor printed under the previous page")
    .option("--json", "print JSON instead of a table")
    .action(async (options: ListOptions) => {
      const filter = readFilterOptions(options, context.now());
      const before = readBeforeOption(options.before);
      await context.withStore(async (store) => {
        const page = await store.listDeliveries(filter, {
          limit: options.limit,
          ...(before ? { before } : {}),
        });
        const next = page.nextCursor ? formatCursor(page.nextCursor) : null;
        if (options.json)
          return context.printJson({ deliveries: page.deliveries, nextCursor: next });
        const counts = await store.countByStatus(filter);
        for (const line of formatTable(page.deliveries)) context.out(line);
        context.out("");
        context.out(formatListSummary(page.deliveries.length, filter, counts));
        if (next) context.out(`older: npm run events -- list --before ${next}`);
      });
    });
}

function readBeforeOption(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  const cursor = parseCursor(text);
  if (!cursor) throw new CliError("--before takes the cursor printed under a page.");
  return cursor;
}
