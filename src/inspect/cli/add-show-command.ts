import type { Command } from "commander";
import { CliError } from "../../cli/cli-error.ts";
import type { CommandContext } from "./create-command-context.ts";
import { formatDetail } from "./format-text.ts";
import { parsePositiveInt } from "./parse-positive-int.ts";

/** `events show <id>`: everything stored about one delivery, as text or as JSON. */
export function addShowCommand(program: Command, context: CommandContext): void {
  program
    .command("show")
    .description(
      "One delivery: headers, body, authentication, parse issues, attempts and snapshot.",
    )
    .argument("<id>", "the delivery id", parsePositiveInt)
    .option("--json", "print JSON")
    .action(async (id: number, options: { json?: boolean }) => {
      await context.withStore(async (store) => {
        const detail = await store.getDelivery(id);
        if (!detail) throw new CliError(`No delivery ${id}.`);
        if (!options.json) {
          for (const line of formatDetail(detail)) context.out(line);
          return;
        }
        const body = detail.delivery.body.toString("utf8");
        context.printJson({ ...detail, delivery: { ...detail.delivery, body } });
      });
    });
}
