import type { Logger } from "pino";
import type { ConversationLoader } from "../conversations/create-conversation-loader.ts";
import type { HandlerContext, Handlers } from "../handlers/define-handlers.ts";
import type { AttemptOutcome, Claim } from "../inbox/work-queue.ts";
import type { CapturiEvent } from "../sources/capturi/capturi-event.ts";
import type { Source } from "../sources/source.ts";

export interface DeliveryProcessorOptions {
  sources: readonly Source[];
  handlers: Handlers;
  conversations: ConversationLoader;
  logger: Logger;
}

/** Resolves with what became of the attempt; a handler's error rejects (the worker retries it). */
export type ProcessDelivery = (
  claim: Claim,
  signal: AbortSignal,
) => Promise<Exclude<AttemptOutcome, { kind: "failed" }>>;

type AnyHandler = (event: unknown, ctx: HandlerContext) => Promise<void> | void;

/**
 * Parses the stored bytes again with today's schemas (so that a replay after a schema fix
 * recovers an invalid delivery) and calls the handler registered for the event type.
 */
export function createDeliveryProcessor(options: DeliveryProcessorOptions): ProcessDelivery {
  const sources = new Map(options.sources.map((source) => [source.name, source]));
  // Handlers are typed per event at their definition; here they are looked up by name.
  const handlers = options.handlers as Record<string, Record<string, AnyHandler> | undefined>;

  return async function processDelivery({ delivery, attemptNumber }, signal) {
    const source = sources.get(delivery.source);
    if (!source)
      return skip(
        "unhandled",
        delivery.eventType,
        `No source named ${delivery.source} is configured.`,
      );
    const parsed = source.parse(JSON.parse(delivery.body.toString("utf8")), {
      method: delivery.method,
      headers: delivery.headers,
      rawBody: delivery.body,
    });
    if (parsed.status === "invalid") {
      return {
        ...skip("invalid", parsed.eventType, "The payload does not match its schema."),
        issues: parsed.issues,
      };
    }
    if (parsed.status === "unhandled") {
      return skip(
        "unhandled",
        parsed.eventType,
        `No schema knows the event type ${parsed.eventType}.`,
      );
    }
    const handler = handlers[source.name]?.[parsed.eventType ?? ""];
    if (!handler) {
      return skip(
        "unhandled",
        parsed.eventType,
        `No handler for ${source.name} ${parsed.eventType} in src/handlers.`,
      );
    }

    const log = options.logger.child({
      deliveryId: delivery.id,
      source: source.name,
      eventType: parsed.eventType,
    });
    const context: HandlerContext = {
      deliveryId: delivery.id,
      attempt: attemptNumber,
      idempotencyKey: delivery.idempotencyKey,
      log,
      signal,
    };
    await handler(parsed.event, withConversation(context, parsed.event, options.conversations));
    return { kind: "succeeded" };
  };
}

/** Conversation events get `ctx.conversation()`; other events get the plain context. */
function withConversation(
  context: HandlerContext,
  event: unknown,
  conversations: ConversationLoader,
) {
  const capturi = event as Partial<CapturiEvent>;
  if (capturi.source !== "capturi" || capturi.type === "LiveSummaryMessage") return context;
  const conversationEvent = event as Extract<CapturiEvent, { type: "ConversationProcessed" }>;
  return {
    ...context,
    conversation: () => conversations.load(conversationEvent, context.deliveryId),
  };
}

function skip(status: "unhandled" | "invalid", eventType: string | null, reason: string) {
  return { kind: "skipped", status, eventType, issues: null, reason } as const;
}
