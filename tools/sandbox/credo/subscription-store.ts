import type { Webhook, WebhookAttributes } from "../../credo-api/create-credo-client.ts";
import { randomCredoId } from "../../payloads/random-ids.ts";
import { readJsonFile, writeJsonFile } from "../json-file.ts";

/** The sandbox's Credo AI webhook subscriptions, kept in a JSON file so that they survive restarts. */
export interface SubscriptionStore {
  list(): Webhook[];
  get(id: string): Webhook | undefined;
  create(attributes: WebhookAttributes): Webhook;
  update(id: string, attributes: Partial<WebhookAttributes>): Webhook | undefined;
  delete(id: string): boolean;
}

/** `file` null keeps them in memory only. */
export function createSubscriptionStore(file: string | null): SubscriptionStore {
  const webhooks = new Map<string, Webhook>(
    file === null ? [] : readJsonFile<Webhook[]>(file, []).map((webhook) => [webhook.id, webhook]),
  );
  const save = () => {
    if (file !== null) writeJsonFile(file, [...webhooks.values()]);
  };
  return {
    list: () => [...webhooks.values()],
    get: (id) => webhooks.get(id),
    create(attributes) {
      const webhook: Webhook = { id: randomCredoId(), type: "webhook", attributes };
      webhooks.set(webhook.id, webhook);
      save();
      return webhook;
    },
    update(id, attributes) {
      const current = webhooks.get(id);
      if (current === undefined) return undefined;
      const updated: Webhook = { ...current, attributes: { ...current.attributes, ...attributes } };
      webhooks.set(id, updated);
      save();
      return updated;
    },
    delete(id) {
      const deleted = webhooks.delete(id);
      if (deleted) save();
      return deleted;
    },
  };
}
