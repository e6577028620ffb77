import type { Command } from "commander";
import type { SubscriptionCommandDeps } from "./subscription-command-deps.ts";
import {
  type AttributeOptions,
  toAttributes,
  withAttributeOptions,
} from "./with-attribute-options.ts";
import { withoutAuthPayload } from "./without-auth-payload.ts";

/** `subscriptions update <id> [attributes]`: the attributes not given keep their values. */
export function addUpdateCommand(program: Command, { client, out }: SubscriptionCommandDeps): void {
  withAttributeOptions(program.command("update"), false)
    .description("Change some attributes of a webhook; the others are kept.")
    .argument("<id>", "the webhook's id")
    .action(async (id: string, options: AttributeOptions) => {
      const api = client();
      const current = await api.getWebhook(id);
      const updated = await api.updateWebhook(id, {
        ...current.attributes,
        ...toAttributes(options),
      });
      out(JSON.stringify(withoutAuthPayload(updated), null, 2));
    });
}
