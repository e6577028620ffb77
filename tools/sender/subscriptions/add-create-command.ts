import type { Command } from "commander";
import type { NewWebhookAttributes } from "../../credo-api/create-credo-client.ts";
import { formatCreated } from "./format-webhook-change.ts";
import { requireOAuthOptions } from "./require-o-auth-options.ts";
import type { SubscriptionCommandDeps } from "./subscription-command-deps.ts";
import { unknownEventTypeWarnings } from "./unknown-event-type-warnings.ts";
import {
  type AttributeOptions,
  toAttributes,
  withAttributeOptions,
} from "./with-attribute-options.ts";
import { withoutAuthPayload } from "./without-auth-payload.ts";

/** `subscriptions create --url … --events … --description … [attributes] [--json]`. */
export function addCreateCommand(
  program: Command,
  { client, out, err }: SubscriptionCommandDeps,
): void {
  withAttributeOptions(program.command("create"), true)
    .description(
      "Create a webhook. Credo AI does not return its signing secret: get it from Credo AI.",
    )
    .action(async (options: AttributeOptions) => {
      // The mandatory options make these the full attributes.
      const attributes = toAttributes(options) as NewWebhookAttributes;
      requireOAuthOptions("The webhook", attributes);
      for (const warning of unknownEventTypeWarnings(attributes.event_types)) err(warning);
      const created = await client().createWebhook(attributes);
      out(
        options.json
          ? JSON.stringify(withoutAuthPayload(created), null, 2)
          : formatCreated(created),
      );
    });
}
