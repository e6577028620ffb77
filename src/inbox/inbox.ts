import type { AuthMethod, ParseIssue, PayloadMode } from "../sources/source.ts";

/**
 * The durable store of deliveries, as the receive step sees it. Only `src/inbox/` knows which
 * database holds it (see `stores.ts`).
 */
export interface Inbox {
  /** Resolves once the delivery is durable: only then may the sender get a 2xx. */
  recordDelivery(delivery: NewDelivery): Promise<RecordResult>;
  /** Keeps why a request was refused, in a capped log (the newest `REJECTION_LOG_SIZE`). */
  recordRejection(rejection: NewRejection): Promise<void>;
  /**
   * Whether a delivery-sized write can be committed now and the schema is the one this build
   * migrates to (`/readyz`): writes `READINESS_WRITE_BYTES` into a scratch table, then deletes the
   * previous probe row, so that the check fails whenever a delivery would. Callers cache it.
   */
  checkWritable(): Promise<WriteCheck>;
}

/**
 * `pending`: waiting for the worker (again, after a failed attempt). `processing`: leased by a
 * worker. `done`: the handler succeeded. `dead`: every attempt failed. `unhandled`, `invalid`,
 * `malformed`: authentic but not processable (unknown event type, payload failed its schema, body
 * is not JSON): kept, never run.
 */
export const DELIVERY_STATUSES = [
  "pending",
  "processing",
  "done",
  "dead",
  "unhandled",
  "invalid",
  "malformed",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface NewDelivery {
  source: string;
  method: string;
  /** Path without the query string: a query may carry a token. */
  path: string;
  /** Secret-bearing headers already redacted. */
  headers: Record<string, string>;
  body: Buffer;
  receivedAt: Date;
  authMethod: AuthMethod;
  /** Which secret or token matched: position and fingerprint, never the secret. */
  authKey: string | null;
  status: Extract<DeliveryStatus, "pending" | "unhandled" | "invalid" | "malformed">;
  eventType: string | null;
  /** Null only for `malformed` deliveries: a body that is not JSON is kept for audit, not deduplicated. */
  idempotencyKey: string | null;
  payloadMode: PayloadMode | null;
  entityUid: string | null;
  issues: ParseIssue[] | null;
  /** The HTTP request that brought it (`x-request-id`, or generated): the worker logs it too. */
  requestId?: string | null;
  /**
   * Which attempt the sender says this is (`webhook-attempt`, `svix-attempt`, ...: see
   * `SENDER_ATTEMPT_HEADERS`), trimmed, at most `SENDER_ATTEMPT_MAX_LENGTH` characters.
   */
  senderAttempt?: string | null;
  /**
   * What the receiver is about to answer: kept with the delivery, and its status code is also what
   * each duplicate arrival of it records. `body` is the JSON text of the answer WITHOUT its `id`
   * (unknown before the insert); the store puts `"id"` back as the first key when reading.
   */
  answer?: NewAnswer | null;
}

/** The answer as `recordDelivery` takes it: the JSON body without its `id` key. */
export interface NewAnswer {
  statusCode: number;
  /** JSON text of an object, without `id`: `{"status":"pending",...}`. */
  bodyWithoutId: string;
}

/** What the sender got back, as stored at receipt. */
export interface DeliveryAnswer {
  statusCode: number;
  /** The JSON body as sent, `id` first. */
  body: string;
}

/** Headers that say which attempt a sender is making, in order of preference: the first present wins. */
export const SENDER_ATTEMPT_HEADERS = [
  "webhook-attempt",
  "svix-attempt",
  "x-webhook-attempt",
  "x-attempt",
  "x-retry-count",
] as const;

/** What a duplicate is answered when its `NewDelivery` carries no `answer`. */
export const DUPLICATE_STATUS_CODE = 200;

/** Longer attempt header values are cut: it is a counter, not a place to store data. */
export const SENDER_ATTEMPT_MAX_LENGTH = 64;

export interface RecordResult {
  id: number;
  /**
   * True when the same source + idempotency key was already stored: no delivery was written, only
   * the arrival (`delivery_arrivals`), in the same commit as the duplicate check.
   */
  duplicate: boolean;
  status: DeliveryStatus;
}

export interface StoredDelivery extends Omit<NewDelivery, "status" | "answer"> {
  id: number;
  status: DeliveryStatus;
  /** What the sender got back on its first arrival; null for deliveries stored before it was kept. */
  answer: DeliveryAnswer | null;
  /** Processing attempts started so far (see the attempts log for each one). */
  attemptCount: number;
  /** When a pending delivery runs next; null when it is not waiting to run. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  processedAt: Date | null;
}

export interface NewRejection {
  source: string | null;
  method: string;
  path: string;
  statusCode: number;
  code: string;
  message: string;
  headers: Record<string, string>;
  /** The first `REJECTION_BODY_BYTES` of the body: enough to see what was sent, not to fill the disk. */
  bodyExcerpt: Buffer;
  bodyBytes: number;
  receivedAt: Date;
}

export interface StoredRejection extends NewRejection {
  id: number;
}

export type WriteCheck = { ok: true } | { ok: false; error: string };

/** The size of `/readyz`'s write check: a large Full Capturi conversation. */
export const READINESS_WRITE_BYTES = 64 * 1024;

export const REJECTION_LOG_SIZE = 1000;
export const REJECTION_BODY_BYTES = 4096;
