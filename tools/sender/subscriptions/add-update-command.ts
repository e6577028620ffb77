import type { Command } from "commander";
import { CliError } from "../../../src/cli/cli-error.ts";
import { formatUpdated } from "./format-webhook-change.ts";
import { requireOAuthOptions } from "./require-o-auth-options.ts";
import type { SubscriptionCommandDeps } from "./subscription-command-deps.ts";
import { unknownEventTypeWarnings } from "./unknown-event-type-warnings.ts";
import {
  type AttributeOptions,
  toAttributes,
  withAttributeOptions,
} from "./with-attribute-options.ts";
import { withoutAuthPayload } from "./without-auth-payload.ts";

/** `subscriptions update <id> [attributes] [--json]`: only the attributes given are sent. */
export function addUpdateCommand(
  program: Command,
  { client, out, err }: SubscriptionCommandDeps,
): void {
  withAttributeOptions(program.command("update"), false)
    .description("Change some attributes of a webhook; the others keep their values.")
    .argument("<id>", "the webhook's id")
    .action(async (id: string, options: AttributeOptions) => {
      const changes = toAttributes(options);
      const changed = Object.keys(changes);
      if (changed.length === 0) {
        throw new CliError("Nothing to change: give the attributes to change (see --help).");
      }
      const api = client();
      // Read first: a change may make (or keep) it o_auth without what o_auth needs.
      const current = await api.getWebhook(id);
      requireOAuthOptions(`Webhook ${id}`, { ...current.attributes, ...changes });
      for (const warning of unknownEventTypeWarnings(changes.event_types ?? [])) err(warning);
      const updated = await api.updateWebhook(id, changes);
      out(
        options.json
          ? JSON.stringify(withoutAuthPayload(updated), null, 2)
          : formatUpdated(updated, changed),
      );
    });
}
