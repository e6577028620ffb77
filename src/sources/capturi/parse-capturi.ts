import { z } from "zod";
import { sha256Hex } from "../sha256-hex.ts";
import type {
  DeliveryFacts,
  IncomingRequest,
  ParseIssue,
  ParseOutcome,
  PayloadMode,
} from "../source.ts";
import { toParseIssues } from "../to-parse-issues.ts";
import {
  type CapturiEvent,
  type CapturiEventType,
  liveSummarySchema,
  normaliseCapturiEventType,
} from "./capturi-event.ts";
import { caseInsensitiveObject } from "./case-insensitive-object.ts";
import { integrationConversationViewSchema } from "./conversation-schema.ts";

// Reads the envelope without judging it, so that even a broken delivery yields a key, a name and a uid.
const anything = z.unknown().optional();
const envelopeSchema = caseInsensitiveObject({
  eventUid: anything,
  event: anything,
  uid: anything,
  entity: anything,
});
const entityUidSchema = caseInsensitiveObject({ uid: anything });
type Envelope = z.output<typeof envelopeSchema>;

// Required in the old docs, absent in the newest: a replay is then recognised by its bytes instead.
const guidSchema = z.guid();
/**
 * Newtonsoft.Json writes an unset `Guid` as the nil GUID; it and an empty string say "no event id",
 * or every such delivery would share one idempotency key and all but the first would be duplicates.
 */
const NIL_GUID = "00000000-0000-0000-0000-000000000000";
const eventUidSchema = z
  .union([z.literal(""), guidSchema])
  .nullish()
  .transform((uid) => (uid === undefined || isNoEventUid(uid) ? null : uid));

function isNoEventUid(uid: string | null): uid is null | "" {
  return uid === null || uid === "" || uid.toLowerCase() === NIL_GUID;
}

const uidPayloadSchema = caseInsensitiveObject({
  eventUid: eventUidSchema,
  event: z.string(),
  uid: z.guid({
    error: (issue) =>
      issue.input === undefined
        ? "Required: a Uid payload carries `uid`, a Full payload carries `entity`"
        : undefined,
  }),
});

const fullConversationPayloadSchema = caseInsensitiveObject({
  eventUid: eventUidSchema,
  event: z.string(),
  entity: integrationConversationViewSchema,
});

const liveSummaryPayloadSchema = caseInsensitiveObject({
  eventUid: eventUidSchema,
  event: z.string(),
  entity: liveSummarySchema,
});

/**
 * Turns a Capturi body (either casing, Uid or Full payload) into a typed event. Pure and total: any
 * JSON value gives an outcome, and every outcome carries an idempotency key.
 */
export function parseCapturi(json: unknown, request: IncomingRequest): ParseOutcome<CapturiEvent> {
  const envelope = readEnvelope(json);
  const facts = readDeliveryFacts(envelope, request.rawBody);
  if (typeof envelope.event !== "string") {
    const issue = { path: "event", message: "Expected the event name as a string in `event`" };
    return { status: "invalid", ...facts, issues: [issue] };
  }
  const eventType = normaliseCapturiEventType(envelope.event);
  // Unknown names are stored under the name as sent, so that they can be found and reported.
  if (eventType === null) return { status: "unhandled", ...facts, eventType: envelope.event };
  if (eventType === "LiveSummaryMessage") {
    return parseLiveSummary(json, { ...facts, eventType, payloadMode: "full" });
  }
  // `entity: null` is read as "not sent": a C# envelope class may serialise the unused property.
  const payloadMode = isPresent(envelope.entity) ? "full" : "uid";
  return parseConversation(json, eventType, { ...facts, eventType, payloadMode });
}

function parseConversation(
  json: unknown,
  type: Exclude<CapturiEventType, "LiveSummaryMessage">,
  facts: DeliveryFacts,
): ParseOutcome<CapturiEvent> {
  if (facts.payloadMode === "uid") {
    const result = uidPayloadSchema.safeParse(json);
    if (!result.success) return invalid(facts, toParseIssues(result.error));
    const { eventUid, uid } = result.data;
    const event = {
      source: "capturi",
      type,
      eventUid: eventUid ?? null,
      uid,
      mode: "uid",
      entity: null,
    } as const;
    return { status: "accepted", ...facts, event };
  }
  const result = fullConversationPayloadSchema.safeParse(json);
  if (!result.success) return invalid(facts, toParseIssues(result.error));
  const { eventUid, entity } = result.data;
  // Without a uid the conversation can be neither fetched again nor stored as a snapshot.
  if (entity.uid === undefined) {
    return invalid(facts, [{ path: "entity.uid", message: "Required: the conversation's uid" }]);
  }
  const event = {
    source: "capturi",
    type,
    eventUid: eventUid ?? null,
    uid: entity.uid,
    mode: "full",
    entity,
  } as const;
  return { status: "accepted", ...facts, event };
}

function parseLiveSummary(json: unknown, facts: DeliveryFacts): ParseOutcome<CapturiEvent> {
  const result = liveSummaryPayloadSchema.safeParse(json);
  if (!result.success) return invalid(facts, toParseIssues(result.error));
  const { eventUid, entity } = result.data;
  const event = {
    source: "capturi",
    type: "LiveSummaryMessage",
    eventUid: eventUid ?? null,
    uid: entity.uid,
    mode: "full",
    entity,
  } as const;
  return { status: "accepted", ...facts, event };
}

function invalid(facts: DeliveryFacts, issues: ParseIssue[]): ParseOutcome<CapturiEvent> {
  return { status: "invalid", ...facts, issues };
}

function readEnvelope(json: unknown): Envelope {
  const result = envelopeSchema.safeParse(json);
  return result.success ? result.data : {};
}

/** What can be read from any body, valid or not; `eventType` is filled in once the name is known. */
function readDeliveryFacts(envelope: Envelope, rawBody: Buffer): DeliveryFacts {
  const { eventUid, uid, entity } = envelope;
  const hasEventUid =
    typeof eventUid === "string" &&
    !isNoEventUid(eventUid) &&
    guidSchema.safeParse(eventUid).success;
  const entityUid = isPresent(entity) ? entityUidSchema.safeParse(entity).data?.uid : undefined;
  const payloadMode: PayloadMode | null = isPresent(entity)
    ? "full"
    : isPresent(uid)
      ? "uid"
      : null;
  return {
    eventType: null,
    idempotencyKey: hasEventUid ? eventUid : sha256Hex(rawBody),
    payloadMode,
    entityUid: typeof entityUid === "string" ? entityUid : typeof uid === "string" ? uid : null,
  };
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}
