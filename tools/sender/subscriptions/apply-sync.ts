import type { CredoClient } from "../../credo-api/create-credo-client.ts";
import { formatCreated, formatDeleted, formatUpdated } from "./format-webhook-change.ts";
import type { SyncPlan } from "./plan-sync.ts";

export interface ApplySyncOptions {
  /** Delete the webhooks the manifest does not name. Off by default: they may belong to someone else. */
  deleteExtra: boolean;
  /** One line per change made. */
  print: (line: string) => void;
}

/** Carries out a plan in order; the first failure throws (a `CredoApiError` with the API's title). */
export async function applySync(
  plan: SyncPlan,
  client: CredoClient,
  options: ApplySyncOptions,
): Promise<void> {
  for (const attributes of plan.create) {
    options.print(formatCreated(await client.createWebhook(attributes)));
  }
  for (const { id, changes } of plan.update) {
    options.print(formatUpdated(await client.updateWebhook(id, changes), Object.keys(changes)));
  }
  if (!options.deleteExtra) return;
  for (const webhook of plan.extra) {
    await client.deleteWebhook(webhook.id);
    options.print(formatDeleted(webhook.id, webhook.attributes.description));
  }
}

/** The plan as a person reads it before it is applied. */
export function formatPlan(plan: SyncPlan, deleteExtra: boolean): string[] {
  return [
    ...plan.create.map(
      (attributes) => `+ create     ${attributes.description} → ${attributes.url}`,
    ),
    ...plan.update.map(
      ({ id, description, changes }) =>
        `~ update     ${id}  ${description} (${Object.keys(changes).join(", ")})`,
    ),
    ...plan.unchanged.map(
      (webhook) => `= unchanged  ${webhook.id}  ${webhook.attributes.description}`,
    ),
    ...plan.extra.map(
      (webhook) =>
        `${deleteExtra ? "- delete   " : "? extra    "}  ${webhook.id}  ${webhook.attributes.description} → ${webhook.attributes.url}${deleteExtra ? "" : " (kept; --delete-extra removes it)"}`,
    ),
  ];
}
