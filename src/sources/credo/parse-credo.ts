import { z } from "zod";
import { sha256Hex } from "../sha256-hex.ts";
import type { AuthenticatedRequest, ParseOutcome } from "../source.ts";
import { toParseIssues } from "../to-parse-issues.ts";
import { CREDO_DATA_SCHEMAS, type CredoEvent, credoEnvelopeSchema } from "./credo-event.ts";
import { type EventNameAffixes, recoverEventName } from "./recover-event-name.ts";

/**
 * Turns a Credo AI body into a typed event. Pure and total: any JSON value gives an outcome; an
 * unknown event is `unhandled` and a malformed one `invalid`, never thrown.
 */
export function parseCredo(
  json: unknown,
  request: AuthenticatedRequest,
  options: EventNameAffixes = {},
): ParseOutcome<CredoEvent> {
  const facts = {
    // The id the signature covered (Svix sends the same one on every retry); without one,
    // identical bytes are the same delivery.
    idempotencyKey: request.auth.messageId ?? sha256Hex(request.rawBody),
    // Credo AI always embeds the changed values; there is nothing to fetch.
    payloadMode: "full" as const,
    entityUid: readUseCaseId(json),
  };

  const envelope = credoEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const eventType = recoverFromUnparsed(json, options);
    return { status: "invalid", issues: toParseIssues(envelope.error), eventType, ...facts };
  }

  const { type, subject, time } = envelope.data;
  const eventType = recoverEventName(type, subject, options);
  if (eventType === null) return { status: "unhandled", eventType: type, ...facts };

  const data = CREDO_DATA_SCHEMAS[eventType].safeParse(envelope.data.data);
  if (!data.success) {
    return { status: "invalid", issues: toParseIssues(underData(data.error)), eventType, ...facts };
  }

  // TypeScript cannot correlate `eventType` with the schema it picked; this pairing is the map's.
  const event = {
    source: "credo",
    type: eventType,
    messageId: facts.idempotencyKey,
    time: time ?? null,
    rawType: type,
    subject: subject ?? null,
    data: data.data,
  } as CredoEvent;
  return { status: "accepted", event, eventType, ...facts };
}

// Issues are stored and shown against the whole body, so `status` must read `data.status`.
function underData(error: z.ZodError): z.ZodError {
  return new z.ZodError(error.issues.map((issue) => ({ ...issue, path: ["data", ...issue.path] })));
}

function recoverFromUnparsed(json: unknown, options: EventNameAffixes) {
  if (!isRecord(json) || typeof json.type !== "string") return null;
  const subject = typeof json.subject === "string" ? json.subject : null;
  return recoverEventName(json.type, subject, options);
}

function readUseCaseId(json: unknown): string | null {
  if (!isRecord(json) || !isRecord(json.data)) return null;
  const { useCaseId } = json.data;
  return typeof useCaseId === "string" && useCaseId !== "" ? useCaseId : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
