import type { Command } from "commander";
import type { WebhookAttributes } from "../../credo-api/create-credo-client.ts";
import type { SubscriptionCommandDeps } from "./subscription-command-deps.ts";
import {
  type AttributeOptions,
  toAttributes,
  withAttributeOptions,
} from "./with-attribute-options.ts";
import { withoutAuthPayload } from "./without-auth-payload.ts";

/** `subscriptions create --url … --events … --description … [attributes]`. */
export function addCreateCommand(program: Command, { client, out }: SubscriptionCommandDeps): void {
  withAttributeOptions(program.command("create"), true)
    .description(
      "Create a webhook. Credo AI does not return its signing secret: get it from Credo AI.",
    )
    .action(async (options: AttributeOptions) => {
      // The mandatory options make these the full attributes.
      const created = await client().createWebhook(toAttributes(options) as WebhookAttributes);
      out(JSON.stringify(withoutAuthPayload(created), null, 2));
    });
}
