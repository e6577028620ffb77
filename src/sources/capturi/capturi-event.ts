import { z } from "zod";
import { caseInsensitiveObject } from "./case-insensitive-object.ts";
import { dateTimeString, type IntegrationConversationView } from "./conversation-schema.ts";

/** The event names this kit routes on, as Capturi sends them in `event`. */
export const CAPTURI_EVENT_TYPES = [
  "ConversationProcessed",
  "ConversationSummaryUpdated",
  "LiveSummaryMessage",
] as const;
export type CapturiEventType = (typeof CAPTURI_EVENT_TYPES)[number];

/** Older names for the same events: labels from Capturi's UI and earlier docs. */
export const CAPTURI_EVENT_ALIASES: Readonly<Record<string, CapturiEventType>> = {
  SummaryReady: "ConversationSummaryUpdated",
  LiveSummaryCreated: "LiveSummaryMessage",
};

const eventTypeByLowerCaseName = new Map<string, CapturiEventType>([
  ...CAPTURI_EVENT_TYPES.map((type) => [type.toLowerCase(), type] as const),
  ...Object.entries(CAPTURI_EVENT_ALIASES).map(
    ([alias, type]) => [alias.toLowerCase(), type] as const,
  ),
]);

/** The canonical name of a raw `event` value, matched case-insensitively, or null when unknown. */
export function normaliseCapturiEventType(raw: string): CapturiEventType | null {
  return eventTypeByLowerCaseName.get(raw.toLowerCase()) ?? null;
}

/** The entity of a `LiveSummaryMessage`: one summary message written during a live call. */
export const liveSummarySchema = caseInsensitiveObject({
  uid: z.guid(),
  // Puzzel's id for the call, not Capturi's: only a string is promised.
  puzzelSessionUid: z.string().nullish(),
  created: dateTimeString.nullish(),
  text: z.string().nullish(),
  // Free-form key/value pairs: its keys are data and keep their casing.
  metadata: z.record(z.string(), z.string()).nullish(),
});
export type LiveSummary = z.output<typeof liveSummarySchema>;

/**
 * A conversation event. `uid` is always there: the `uid` of a Uid payload or `entity.uid` of a Full
 * one. A Full payload whose entity has no uid is rejected as invalid, because such a conversation
 * could neither be fetched again nor stored as a snapshot.
 */
export type CapturiConversationEvent = {
  source: "capturi";
  type: "ConversationProcessed" | "ConversationSummaryUpdated";
  eventUid: string | null;
  uid: string;
  /** `uid`: only the identity was sent, `entity` is null and the handler fetches it when needed. */
  mode: "uid" | "full";
  entity: IntegrationConversationView | null;
};

export type CapturiLiveSummaryEvent = {
  source: "capturi";
  type: "LiveSummaryMessage";
  eventUid: string | null;
  uid: string;
  mode: "full";
  entity: LiveSummary;
};

/** What a Capturi handler receives, discriminated on `type`. */
export type CapturiEvent = CapturiConversationEvent | CapturiLiveSummaryEvent;
