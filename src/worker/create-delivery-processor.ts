import type { Logger } from "pino";
import type { AttemptOutcome, Claim } from "../inbox/work-queue.ts";
import type { HandlerContext } from "../sources/handler-context.ts";
import type { ExtendContext, HandlerServices, Source } from "../sources/source.ts";

export interface DeliveryProcessorOptions {
  sources: readonly Source[];
  /** `{ [source]: { [eventType]: handler } }`, as `defineHandlers` typed it. */
  handlers: object;
  /** What sources may use to add to their handlers' context (Capturi's snapshots). */
  services: HandlerServices;
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
 * recovers an invalid delivery) and calls the handler registered for the event type, with the
 * context its source adds to.
 */
export function createDeliveryProcessor(options: DeliveryProcessorOptions): ProcessDelivery {
  const sources = new Map(options.sources.map((source) => [source.name, source]));
  const contexts = new Map<string, ExtendContext>();
  for (const source of options.sources) {
    const extend = source.handlerContext?.(options.services);
    if (extend) contexts.set(source.name, extend);
  }
  // Handlers are typed per event at their definition; here they are looked up by name.
  const handlers = options.handlers as Record<string, Record<string, AnyHandler> | undefined>;

  return async function processDelivery({ delivery, attemptNumber }, signal) {
    const source = sources.get(delivery.source);
    if (!source) {
      const reason = `No source named ${delivery.source} is configured.`;
      return skip("unhandled", delivery.eventType, reason);
    }
    const parsed = source.parse(JSON.parse(delivery.body.toString("utf8")), {
      method: delivery.method,
      headers: delivery.headers,
      rawBody: delivery.body,
      // Authentication happened at receipt; its id is the key recorded then.
      auth: {
        method: delivery.authMethod,
        matchedKey: delivery.authKey,
        messageId: delivery.idempotencyKey,
      },
    });
    if (parsed.status === "invalid") {
      const reason = "The payload does not match its schema.";
      return { ...skip("invalid", parsed.eventType, reason), issues: parsed.issues };
    }
    if (parsed.status === "unhandled") {
      const reason = `No schema knows the event type ${parsed.eventType}.`;
      return skip("unhandled", parsed.eventType, reason);
    }
    const handler = handlers[source.name]?.[parsed.eventType ?? ""];
    if (!handler) {
      const reason = `No handler for ${source.name} ${parsed.eventType} in src/handlers.`;
      return skip("unhandled", parsed.eventType, reason);
    }

    const context: HandlerContext = {
      deliveryId: delivery.id,
      attempt: attemptNumber,
      idempotencyKey: delivery.idempotencyKey,
      log: options.logger.child({
        requestId: delivery.requestId ?? null,
        deliveryId: delivery.id,
        source: source.name,
        eventType: parsed.eventType,
      }),
      signal,
    };
    const extend = contexts.get(source.name);
    await handler(parsed.event, extend ? extend(parsed.event, context) : context);
    return { kind: "succeeded" };
  };
}

function skip(status: "unhandled" | "invalid", eventType: string | null, reason: string) {
  return { kind: "skipped", status, eventType, issues: null, reason } as const;
}
