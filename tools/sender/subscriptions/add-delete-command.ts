import type { Command } from "commander";
import { formatDeleted } from "./format-webhook-change.ts";
import type { SubscriptionCommandDeps } from "./subscription-command-deps.ts";

/** `subscriptions delete <id>`. */
export function addDeleteCommand(program: Command, { client, out }: SubscriptionCommandDeps): void {
  program
    .command("delete")
    .description("Delete a webhook.")
    .argument("<id>", "the webhook's id")
    .action(async (id: string) => {
      await client().deleteWebhook(id);
      out(formatDeleted(id));
    });
}
