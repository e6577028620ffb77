import { isDeepStrictEqual } from "node:util";
import type { Webhook, WebhookAttributes } from "../../credo-api/create-credo-client.ts";

export interface SyncPlan {
  create: WebhookAttributes[];
  update: { id: string; attributes: WebhookAttributes; changes: string[] }[];
  unchanged: Webhook[];
  /** Webhooks in the API that the manifest does not name; deleted only when asked. */
  extra: Webhook[];
}

/**
 * Compares the manifest with the API's webhooks, matched by description. Only the attributes an
 * entry sets are compared, so fields managed elsewhere (or added by Credo AI) never cause churn.
 */
export function planSync(
  desired: readonly WebhookAttributes[],
  actual: readonly Webhook[],
): SyncPlan {
  const plan: SyncPlan = { create: [], update: [], unchanged: [], extra: [] };
  const byDescription = new Map(actual.map((webhook) => [webhook.attributes.description, webhook]));
  for (const attributes of desired) {
    const current = byDescription.get(attributes.description);
    if (current === undefined) {
      plan.create.push(attributes);
      continue;
    }
    byDescription.delete(attributes.description);
    const changes = changedAttributes(attributes, current.attributes);
    if (changes.length === 0) plan.unchanged.push(current);
    else
      plan.update.push({
        id: current.id,
        attributes: { ...current.attributes, ...attributes },
        changes,
      });
  }
  plan.extra = [...byDescription.values()];
  return plan;
}

function changedAttributes(desired: WebhookAttributes, current: WebhookAttributes): string[] {
  return Object.entries(desired)
    .filter(([, value]) => value !== undefined)
    .filter(([key, value]) => !isSame(key, value, current[key as keyof WebhookAttributes]))
    .map(([key]) => key);
}

function isSame(key: string, desired: unknown, current: unknown): boolean {
  // The order of event types carries no meaning.
  if (key === "event_types" && Array.isArray(desired) && Array.isArray(current)) {
    return isDeepStrictEqual([...desired].sort(), [...current].sort());
  }
  return isDeepStrictEqual(desired ?? null, current ?? null);
}
