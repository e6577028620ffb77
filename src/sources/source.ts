import type { SnapshotStore } from "../inbox/snapshots.ts";
import type { HandlerContext } from "./handler-context.ts";

/**
 * One provider, configured: how it authenticates, how its JSON becomes a typed event, which of its
 * headers carry secrets, and what it adds to its handlers' context. `SourceDefinition`
 * (`source-definition.ts`) describes a provider; `configureSources` turns definitions and their
 * settings into these.
 */

/** The request as it arrived, before anything is trusted. */
export interface IncomingRequest {
  method: string;
  /** Lower-cased header names, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The exact bytes received: signatures cover these, never a re-serialised body. */
  rawBody: Buffer;
}

/** How a delivery was authenticated; a source may name its own scheme (e.g. `hmac-sha256`). */
export type AuthMethod = "standard-webhooks" | "header-token" | "none" | (string & {});

/** What authentication established about a request it let in. */
export interface Authenticated {
  method: AuthMethod;
  /** Which configured secret or token matched: position and a short fingerprint, never the secret. */
  matchedKey: string | null;
  /**
   * The delivery's own id as the sender identified it (Standard Webhooks: the id that was signed),
   * or null when the scheme carries none. At replay, the idempotency key recorded at receipt.
   */
  messageId: string | null;
}

export type AuthOutcome =
  | ({ ok: true } & Authenticated)
  | { ok: false; status: 400 | 401; code: string; message: string };

/** A request that passed authentication, as `parse` sees it. */
export interface AuthenticatedRequest extends IncomingRequest {
  auth: Authenticated;
}

export type PayloadMode = "uid" | "full";

/** One problem found by a schema, flattened so that it can be stored as JSON and shown. */
export interface ParseIssue {
  path: string;
  message: string;
}

/** What every parsed delivery carries, whatever came of parsing it. */
export interface DeliveryFacts {
  /** The normalised event name (`ConversationProcessed`, `use_case_name_updated`), or null when none was found. */
  eventType: string | null;
  /** Same source + same key = the same delivery, recorded and processed once. */
  idempotencyKey: string;
  payloadMode: PayloadMode | null;
  /** The uid of the entity the event is about (a conversation, a use case), where there is one. */
  entityUid: string | null;
}

/**
 * `accepted`: a known event that passed its schema. `unhandled`: authentic, but an event type this
 * kit does not know. `invalid`: a known event whose payload failed its schema. The last two are
 * stored and acknowledged, never dropped.
 */
export type ParseOutcome<E> =
  | ({ status: "accepted"; event: E } & DeliveryFacts)
  | ({ status: "unhandled" } & DeliveryFacts)
  | ({ status: "invalid"; issues: ParseIssue[] } & DeliveryFacts);

/** What a source's handler context hook may use; created once per process by the worker. */
export interface HandlerServices {
  snapshots: SnapshotStore;
  /** The fetch for provider API clients: it counts each request for `/metrics`. */
  fetch?: typeof fetch;
}

/** Adds to the context of one event's handler, e.g. Capturi's `ctx.conversation()`. */
export type ExtendContext = (event: unknown, ctx: HandlerContext) => HandlerContext;

export interface Source {
  /** The path segment after `/webhooks/` and the `source` column of the inbox. */
  readonly name: string;
  /** The event names it routes on: the inspect page's filter suggestions. */
  readonly eventTypes: readonly string[];
  /** HTTP methods the provider may use; anything else answers 405. */
  readonly methods: readonly string[];
  /** Header names (lower case) whose values are secrets and must be redacted before storing. */
  readonly secretHeaders: readonly string[];
  /**
   * Its configured secrets and tokens, in every form a sender may put in a header: any header
   * value containing one is redacted, whatever the header's name.
   */
  readonly secretValues?: readonly string[];
  /**
   * For a source authenticated by a static header token: the header (lower case) it reads, so that
   * "Copy as curl" on the inspect page puts the token there.
   */
  readonly tokenHeader?: string;
  authenticate(request: IncomingRequest, now: Date): AuthOutcome;
  /** Turns JSON that was already read from `request.rawBody` into a typed event. Pure: replay calls it again. */
  parse(json: unknown, request: AuthenticatedRequest): ParseOutcome<unknown>;
  /** Adds to its handlers' context; called once per process. */
  handlerContext?(services: HandlerServices): ExtendContext;
}
