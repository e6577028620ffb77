import type { SnapshotStore } from "../../inbox/snapshots.ts";
import type { CapturiConversationEvent } from "./capturi-event.ts";
import type { ConversationResult } from "./conversation-context.ts";
import {
  type IntegrationConversationView,
  integrationConversationViewSchema,
} from "./conversation-schema.ts";

/** The one call the loader needs from the Integration API client. */
export interface ConversationFetcher {
  getConversation(
    uid: string,
    signal?: AbortSignal,
  ): Promise<
    | { kind: "found"; conversation: IntegrationConversationView }
    | { kind: "not_found" }
    | { kind: "error"; status: number; message: string }
  >;
}

export interface ConversationLoaderOptions {
  client: ConversationFetcher;
  snapshots: SnapshotStore;
  now?: () => Date;
}

/**
 * Behind `ctx.conversation()`: the embedded entity of a Full payload, or a fetch by uid for a Uid
 * payload. Either is saved as a snapshot that only a newer `lastChanged` replaces; handlers that
 * ask for the same uid at the same time share one request.
 */
export function createConversationLoader({
  client,
  snapshots,
  now = () => new Date(),
}: ConversationLoaderOptions) {
  const inFlight = new Map<string, Promise<ConversationResult>>();

  async function keep(
    conversation: IntegrationConversationView,
    origin: "payload" | "api",
    deliveryId: number,
  ): Promise<ConversationResult> {
    const lastChanged = conversation.lastChanged ? new Date(conversation.lastChanged) : null;
    const { stored, current } = await snapshots.save({
      uid: conversation.uid ?? "",
      lastChanged: lastChanged && !Number.isNaN(lastChanged.getTime()) ? lastChanged : null,
      conversation,
      origin,
      deliveryId,
      storedAt: now(),
    });
    if (stored) return { found: true, conversation, origin };
    // A newer version arrived first (out-of-order deliveries): the handler sees the newest.
    return {
      found: true,
      conversation: integrationConversationViewSchema.parse(current.conversation),
      origin: "snapshot",
    };
  }

  async function fetchAndKeep(uid: string, deliveryId: number) {
    const result = await client.getConversation(uid).catch((error: unknown) => {
      // The attempt's error is all the inspect page shows: it must not read as several attempts.
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Conversation ${uid} could not be fetched in this processing attempt: ${reason}`,
        { cause: error },
      );
    });
    if (result.kind === "not_found") return { found: false } as const;
    if (result.kind === "error") {
      throw new Error(
        `Capturi Integration API answered ${result.status} for ${uid}: ${result.message}`,
      );
    }
    return keep({ ...result.conversation, uid: result.conversation.uid ?? uid }, "api", deliveryId);
  }

  return {
    /**
     * The request is shared, so no one handler's signal cancels it; the client's own timeout and
     * retry limits bound it.
     */
    load(event: CapturiConversationEvent, deliveryId: number) {
      if (event.entity) return keep(event.entity, "payload", deliveryId);
      const pending = inFlight.get(event.uid);
      if (pending) return pending;
      const request = fetchAndKeep(event.uid, deliveryId).finally(() => inFlight.delete(event.uid));
      inFlight.set(event.uid, request);
      return request;
    },
  };
}

export type ConversationLoader = ReturnType<typeof createConversationLoader>;
