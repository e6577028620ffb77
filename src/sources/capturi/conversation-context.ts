import type { HandlerContext } from "../handler-context.ts";
import type { IntegrationConversationView } from "./conversation-schema.ts";

export type ConversationResult =
  | {
      found: true;
      conversation: IntegrationConversationView;
      /** `payload`: embedded in a Full delivery; `api`: fetched; `snapshot`: a newer stored version won. */
      origin: "payload" | "api" | "snapshot";
    }
  /** Capturi's Integration API answered 204: it has no conversation with this uid (any longer). */
  | { found: false };

/** What the handlers of Capturi's conversation events get. */
export interface ConversationContext extends HandlerContext {
  /**
   * The conversation the event is about, whether Capturi sent the Full or the Uid payload: the
   * embedded entity, or fetched by uid through the Integration API client. Stored as a snapshot;
   * never older than the newest snapshot already stored.
   */
  conversation(): Promise<ConversationResult>;
}
