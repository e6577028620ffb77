import type { Command } from "commander";
import type { Webhook } from "../../credo-api/create-credo-client.ts";
import type { SubscriptionCommandDeps } from "./subscription-command-deps.ts";
import { withoutAuthPayload } from "./without-auth-payload.ts";

/** `subscriptions list [--json]`. */
export function addListCommand(program: Command, { client, out }: SubscriptionCommandDeps): void {
  program
    .command("list")
    .description("List the tenant's webhooks.")
    .option("--json", "print the JSON:API resources")
    .action(async (options: { json?: boolean }) => {
      const webhooks = await client().listWebhooks();
      if (options.json) return out(JSON.stringify(webhooks.map(withoutAuthPayload), null, 2));
      if (webhooks.length === 0) return out("No webhooks.");
      for (const webhook of webhooks) out(formatWebhook(webhook));
    });
}

/**
 * Two lines: id and description, then where, what and how. The type is as Credo AI sends it:
 * prefixed `CredoAI` unless another prefix is set, and without a suffix unless one is set.
 */
function formatWebhook({ id, attributes: a }: Webhook): string {
  const type = [a.event_type_prefix ?? "CredoAI", "<event>", a.event_type_suffix]
    .filter(Boolean)
    .join(".");
  return `${id}  ${a.description}\n    ${a.url}  ${a.event_types.length} event types  ${type}  auth ${a.authentication_method}`;
}
