import type { capturiSource } from "../sources/capturi/capturi-source.ts";
import type { credoSource } from "../sources/credo/credo-source.ts";
import type { AnySourceDefinition, HandlersFor } from "../sources/source-definition.ts";

export type {
  ConversationContext,
  ConversationResult,
} from "../sources/capturi/conversation-context.ts";
export type { HandlerContext } from "../sources/handler-context.ts";

/**
 * One function per event type, under its source's name, each typed by its event and context. A
 * thrown error fails the attempt: it is retried with backoff.
 */
export type Handlers<Definitions extends readonly AnySourceDefinition[] = BuiltInSources> =
  HandlersFor<Definitions>;

type BuiltInSources = readonly [typeof capturiSource, typeof credoSource];

/** Identity at run time; types each handler by the source and event type it is listed under. */
export function defineHandlers<const Definitions extends readonly AnySourceDefinition[]>(
  _sources: Definitions,
  handlers: NoInfer<HandlersFor<Definitions>>,
): HandlersFor<Definitions> {
  return handlers;
}
