import { isDeepStrictEqual } from "node:util";
import type {
  NewWebhookAttributes,
  Webhook,
  WebhookAttributesPatch,
} from "../../credo-api/create-credo-client.ts";

export interface SyncPlan {
  create: NewWebhookAttributes[];
  /** Only the attributes that differ are sent: the others keep their values. */
  update: { id: string; description: string; changes: WebhookAttributesPatch }[];
  unchanged: Webhook[];
  /** Webhooks in the API that the manifest does not name; deleted only when asked. */
  extra: Webhook[];
}

/**
 * Compares the manifest with the API's webhooks, matched by description. Only the attributes an
 * entry sets are compared, so fields managed elsewhere (or added by Credo AI) never cause churn.
 */
export function planSync(
  desired: readonly NewWebhookAttributes[],
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
    const changes = changedAttributes(attributes, current);
    if (Object.keys(changes).length === 0) plan.unchanged.push(current);
    else plan.update.push({ id: current.id, description: attributes.description, changes });
  }
  plan.extra = [...byDescription.values()];
  return plan;
}

function changedAttributes(
  desired: NewWebhookAttributes,
  current: Webhook,
): WebhookAttributesPatch {
  return Object.fromEntries(
    Object.entries(desired).filter(
      ([key, value]) =>
        value !== undefined &&
        !isSame(key, value, current.attributes[key as keyof NewWebhookAttributes]),
    ),
  );
}

function isSame(key: string, desired: unknown, current: unknown): boolean {
  // The order of event types carries no meaning.
  if (key === "event_types" && Array.isArray(desired) && Array.isArray(current)) {
    return isDeepStrictEqual([...desired].sort(), [...current].sort());
  }
  return isDeepStrictEqual(desired, current ?? null);
}
