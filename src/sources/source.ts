/**
 * The contract between the receive step and one provider. A provider is one folder under
 * `src/sources/` that exports a `Source`: how it authenticates, how its JSON becomes a typed event,
 * and which of its headers carry secrets.
 */

/** The request as it arrived, before anything is trusted. */
export interface IncomingRequest {
  method: string;
  /** Lower-cased header names, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The exact bytes received: signatures cover these, never a re-serialised body. */
  rawBody: Buffer;
}

export type AuthMethod = "standard-webhooks" | "header-token" | "none";

export type AuthOutcome =
  | {
      ok: true;
      method: AuthMethod;
      /** Which configured secret or token matched: position and a short fingerprint, never the secret. */
      matchedKey: string | null;
    }
  | { ok: false; status: 400 | 401; code: string; message: string };

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

export interface Source<E = unknown> {
  /** The path segment after `/webhooks/` and the `source` column of the inbox. */
  readonly name: string;
  /** HTTP methods the provider may use; anything else answers 405. */
  readonly methods: readonly string[];
  /** Header names (lower case) whose values are secrets and must be redacted before storing. */
  readonly secretHeaders: readonly string[];
  /** A short description for the start-up log, e.g. "Standard Webhooks, 2 secrets, ±300 s". */
  readonly authSummary: string;
  authenticate(request: IncomingRequest, now: Date): AuthOutcome;
  /** Turns JSON that was already read from `request.rawBody` into a typed event. Pure: replay calls it again. */
  parse(json: unknown, request: IncomingRequest): ParseOutcome<E>;
}
