import { z } from "zod";
import { normaliseCapturiEventType } from "../../../src/sources/capturi/capturi-event.ts";
import { generateCapturiPayload } from "../../payloads/generate-capturi-payload.ts";
import { generateConversation } from "../../payloads/generate-conversation.ts";
import { generateCredoPayload } from "../../payloads/generate-credo-payload.ts";
import { randomMessageId } from "../../payloads/random-ids.ts";
import type { ConversationStore } from "../capturi/conversation-store.ts";
import type { SubscriptionStore } from "../credo/subscription-store.ts";
import type { DeliveryEngine } from "../deliveries/create-delivery-engine.ts";
import type { CapturiWebhookConfig } from "./capturi-webhook-config.ts";

export const triggerRequestSchema = z.object({
  source: z.enum(["credo", "capturi"]),
  event: z.string().min(1),
  /** How many distinct events; with `eventId`, how many copies of the same one. */
  count: z.number().int().min(1).max(1000).default(1),
  /** A fixed `svix-id` (Credo AI) or `eventUid` (Capturi), to try duplicates. */
  eventId: z.string().min(1).optional(),
  /** Capturi: override every configured webhook's payload type or casing for this trigger. */
  mode: z.enum(["uid", "full"]).optional(),
  casing: z.enum(["camel", "pascal"]).optional(),
});
export type TriggerRequest = z.output<typeof triggerRequestSchema>;

export interface TriggerDeps {
  subscriptions: SubscriptionStore;
  conversations: ConversationStore;
  engine: DeliveryEngine;
  capturiWebhooks: readonly CapturiWebhookConfig[];
  retryDelaysMs: { credo: number[]; capturi: number[] };
}

export interface TriggerResult {
  deliveries: { id: string; endpoint: string; url: string; messageId: string; event: string }[];
  /** Why nothing (or less than expected) was sent. */
  warnings: string[];
}

/** Plays the provider: generates the event and hands one delivery per matching endpoint to the engine. */
export function triggerEvent(deps: TriggerDeps, request: TriggerRequest): TriggerResult {
  const result: TriggerResult = { deliveries: [], warnings: [] };
  for (let i = 0; i < request.count; i++) {
    const sent =
      request.source === "credo" ? triggerCredo(deps, request) : triggerCapturi(deps, request);
    result.deliveries.push(
      ...sent.map(({ id, endpoint, url, messageId, event }) => ({
        id,
        endpoint,
        url,
        messageId,
        event,
      })),
    );
  }
  if (result.deliveries.length === 0) result.warnings.push(noEndpointWarning(request));
  return result;
}

function triggerCredo(deps: TriggerDeps, request: TriggerRequest) {
  const now = new Date();
  return deps.subscriptions
    .list()
    .filter((webhook) => webhook.attributes.event_types.includes(request.event))
    .map((webhook) => {
      const payload = generateCredoPayload({
        event: request.event,
        prefix: webhook.attributes.event_type_prefix ?? null,
        // Credo AI adds no suffix unless one is set: `CredoAI.use_case_custom_field_updated`.
        suffix: webhook.attributes.event_type_suffix ?? "",
        now,
      });
      // One message per subscription: each has its own prefix and suffix, so its own body.
      return deps.engine.enqueue({
        source: "credo",
        event: request.event,
        messageId: request.eventId ?? randomMessageId(),
        endpoint: webhook.id,
        url: webhook.attributes.url,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Svix-Webhooks/1.0 (sandbox)",
        },
        body: JSON.stringify(payload),
        signed: true,
        retryDelaysMs: deps.retryDelaysMs.credo,
      });
    });
}

function triggerCapturi(deps: TriggerDeps, request: TriggerRequest) {
  const isLive = normaliseCapturiEventType(request.event) === "LiveSummaryMessage";
  // One conversation per event, shared by every webhook, and served by the Integration API.
  const conversation = isLive ? undefined : generateConversation();
  if (conversation !== undefined) deps.conversations.put(conversation);
  const eventUid = request.eventId ?? crypto.randomUUID();
  return deps.capturiWebhooks
    .filter((webhook) => webhook.events.length === 0 || webhook.events.includes(request.event))
    .map((webhook) => {
      const payload = generateCapturiPayload({
        event: request.event,
        mode: request.mode ?? webhook.mode,
        casing: request.casing ?? webhook.casing,
        eventUid,
        ...(conversation ? { conversation } : {}),
      });
      return deps.engine.enqueue({
        source: "capturi",
        event: request.event,
        messageId: eventUid,
        endpoint: webhook.name,
        url: webhook.url,
        method: webhook.method,
        headers: { "content-type": "application/json", ...webhook.headers },
        body: JSON.stringify(payload.body),
        signed: false,
        retryDelaysMs: deps.retryDelaysMs.capturi,
      });
    });
}

function noEndpointWarning(request: TriggerRequest): string {
  return request.source === "credo"
    ? `No Credo AI subscription listens to ${request.event}; create one with \`npm run subscriptions -- create\` against the sandbox.`
    : `No Capturi webhook sends ${request.event}; start the sandbox with --capturi-url (it defaults to the receiver).`;
}
