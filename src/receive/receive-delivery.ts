import { HttpError } from "../http/http-error.ts";
import { answerOf } from "../inbox/answer-of.ts";
import type { Inbox, NewDelivery, RecordResult } from "../inbox/inbox.ts";
import type { IncomingRequest, Source } from "../sources/source.ts";
import { decodeUtf8 } from "./decode-utf8.ts";
import { senderAttempt } from "./sender-attempt.ts";

export interface ReceivedRequest extends IncomingRequest {
  /** Path without the query string. */
  path: string;
  /** Headers with secret-bearing values redacted: what may be stored. */
  safeHeaders: Record<string, string>;
  receivedAt: Date;
  /** Stored with the delivery, so that the worker's log lines carry it too. */
  requestId?: string;
}

export interface ReceiveResult {
  statusCode: number;
  headers?: Record<string, string>;
  /** The JSON text of the answer: for a new delivery, the stored answer with its id put back. */
  body: string;
  /** What the delivery log line says about it. */
  log: { eventType: string | null; idempotencyKey: string | null; outcome: string };
}

const DUPLICATE_MESSAGE = "Already received (same idempotency key); it is not processed again.";

const MESSAGES: Record<NewDelivery["status"], string> = {
  pending: "Stored; a worker will process it.",
  unhandled:
    "Stored as unhandled: no handler knows this event type. It is acknowledged so that the sender does not retry what cannot succeed.",
  invalid:
    "Stored as invalid: the payload does not match its schema (see issues). It is acknowledged so that the sender does not retry; fix the schema and replay it.",
  malformed: "The body is not valid UTF-8 JSON. It was stored for audit; send a JSON body.",
};

/**
 * The request path of one delivery: authenticate → parse → record. Resolves only once the
 * delivery is durable in the inbox, so that the 2xx that follows is a promise kept.
 */
export async function receiveDelivery(
  source: Source,
  inbox: Inbox,
  request: ReceivedRequest,
): Promise<ReceiveResult> {
  const auth = source.authenticate(request, request.receivedAt);
  if (!auth.ok) throw new HttpError(auth.status, auth.code, auth.message);

  const base = {
    source: source.name,
    method: request.method,
    path: request.path,
    headers: request.safeHeaders,
    body: request.rawBody,
    receivedAt: request.receivedAt,
    authMethod: auth.method,
    authKey: auth.matchedKey,
    requestId: request.requestId ?? null,
    // From the redacted headers: a value that is a configured secret is never stored.
    senderAttempt: senderAttempt(request.safeHeaders),
  };

  const json = parseJson(request.rawBody);
  if (!json.ok) {
    const answer = JSON.stringify({
      code: "malformed_json",
      message: `${MESSAGES.malformed} (${json.error})`,
    });
    const recorded = await record(inbox, {
      ...base,
      status: "malformed",
      eventType: null,
      idempotencyKey: null,
      payloadMode: null,
      entityUid: null,
      issues: [{ path: "(body)", message: json.error }],
      answer: { statusCode: 400, bodyWithoutId: answer },
    });
    return {
      statusCode: 400,
      // The same bytes will never parse: ask Svix to stop retrying this message.
      headers: { "webhook-delivery": "abort-message" },
      body: withId(recorded.id, 400, answer),
      log: { eventType: null, idempotencyKey: null, outcome: "malformed" },
    };
  }

  const parsed = source.parse(json.value, { ...request, auth });
  const status = parsed.status === "accepted" ? "pending" : parsed.status;
  // Stored as sent, less the id that the insert assigns (the store puts it back first).
  const answer = JSON.stringify({
    status,
    duplicate: false,
    eventType: parsed.eventType,
    message: MESSAGES[status],
    ...(parsed.status === "invalid" ? { issues: parsed.issues } : {}),
  });
  const recorded = await record(inbox, {
    ...base,
    status,
    eventType: parsed.eventType,
    idempotencyKey: parsed.idempotencyKey,
    payloadMode: parsed.payloadMode,
    entityUid: parsed.entityUid,
    issues: parsed.status === "invalid" ? parsed.issues : null,
    answer: { statusCode: 200, bodyWithoutId: answer },
  });
  return {
    statusCode: 200,
    body: recorded.duplicate
      ? JSON.stringify({
          id: recorded.id,
          status: recorded.status,
          duplicate: true,
          message: DUPLICATE_MESSAGE,
        })
      : withId(recorded.id, 200, answer),
    log: {
      eventType: parsed.eventType,
      idempotencyKey: parsed.idempotencyKey,
      outcome: recorded.duplicate ? "duplicate" : recorded.status,
    },
  };
}

/** The answer as sent: the stored text with the id put back first, as the store reads it. */
function withId(id: number, statusCode: number, bodyWithoutId: string): string {
  return answerOf(id, statusCode, bodyWithoutId)?.body ?? bodyWithoutId;
}

async function record(inbox: Inbox, delivery: NewDelivery): Promise<RecordResult> {
  try {
    return await inbox.recordDelivery(delivery);
  } catch (error) {
    // The sender must retry: a 2xx would promise something that is not on disk.
    throw new HttpError(
      503,
      "inbox_unavailable",
      "The delivery could not be stored; retry later.",
      { "retry-after": "5" },
      error,
    );
  }
}

type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

function parseJson(bytes: Buffer): JsonResult {
  // A leading UTF-8 byte order mark is skipped, as decoders do: JSON.parse would refuse it.
  const text = decodeUtf8(bytes.subarray(0, 3).equals(BYTE_ORDER_MARK) ? bytes.subarray(3) : bytes);
  if (text === undefined) return { ok: false, error: "The body is not valid UTF-8." };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
