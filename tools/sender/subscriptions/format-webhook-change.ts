import type { Webhook } from "../../credo-api/create-credo-client.ts";

/** The line `create` and `sync` print for a webhook they created. */
export function formatCreated(webhook: Webhook): string {
  return `created  ${webhook.id}  ${webhook.attributes.description}`;
}

/** The line `update` and `sync` print for a webhook they changed, naming the attributes. */
export function formatUpdated(webhook: Webhook, changed: readonly string[]): string {
  return `updated  ${webhook.id}  ${webhook.attributes.description} (${changed.join(", ")})`;
}

/** The line `delete` and `sync --delete-extra` print. */
export function formatDeleted(id: string, description?: string): string {
  return description === undefined ? `deleted  ${id}` : `deleted  ${id}  ${description}`;
}
