import type { Logger } from "pino";
import type {
  CapturiConversationEvent,
  CapturiEventType,
  CapturiLiveSummaryEvent,
} from "../sources/capturi/capturi-event.ts";
import type { IntegrationConversationView } from "../sources/capturi/conversation-schema.ts";
import type { CredoEvent, CredoEventType } from "../sources/credo/credo-event.ts";

/** What every handler gets besides the event. */
export interface HandlerContext {
  /** The inbox id of the delivery: `npm run events -- show <id>` shows it. */
  deliveryId: number;
  /** 1 on the first run; higher on retries and replays. */
  attempt: number;
  /**
   * Stable across retries, replays and the sender's duplicates. Delivery is at least once (a
   * worker that dies mid-handler leaves the delivery to run again), so pass this key along to
   * anything outside this service that must happen exactly once.
   */
  idempotencyKey: string | null;
  /** A logger that already carries the delivery id, source and event type. */
  log: Logger;
  /** Aborted when the process shuts down and the drain deadline passes, or when the lease was lost. */
  signal: AbortSignal;
}

export type ConversationResult =
  | {
      found: true;
      conversation: IntegrationConversationView;
      /** `payload`: embedded in a Full delivery; `api`: fetched; `snapshot`: a newer stored version won. */
      origin: "payload" | "api" | "snapshot";
    }
  /** Capturi's Integration API answered 204: it has no conversation with this uid (any longer). */
  | { found: false };

export interface ConversationContext extends HandlerContext {
  /**
   * The conversation the event is about, whether Capturi sent the Full or the Uid payload: the
   * embedded entity, or fetched by uid through the Integration API client. Stored as a snapshot;
   * never older than the newest snapshot already stored.
   */
  conversation(): Promise<ConversationResult>;
}

type CapturiHandler<K extends CapturiEventType> = K extends "LiveSummaryMessage"
  ? (event: CapturiLiveSummaryEvent, ctx: HandlerContext) => Promise<void> | void
  : (
      event: CapturiConversationEvent & { type: K },
      ctx: ConversationContext,
    ) => Promise<void> | void;

type CredoHandler<K extends CredoEventType> = (
  event: CredoEvent<K>,
  ctx: HandlerContext,
) => Promise<void> | void;

/** One function per event type. A thrown error fails the attempt: it is retried with backoff. */
export interface Handlers {
  capturi?: { [K in CapturiEventType]?: CapturiHandler<K> };
  credo?: { [K in CredoEventType]?: CredoHandler<K> };
}

/** Identity at run time; gives handler objects their types (each `event` typed by its key). */
export function defineHandlers(handlers: Handlers): Handlers {
  return handlers;
}
