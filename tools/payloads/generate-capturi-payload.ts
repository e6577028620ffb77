import { normaliseCapturiEventType } from "../../src/sources/capturi/capturi-event.ts";
import { type ConversationJson, generateConversation } from "./generate-conversation.ts";
import { pick, randomUuid } from "./random-ids.ts";
import { toPascalCase } from "./to-pascal-case.ts";

export type CapturiPayloadMode = "uid" | "full";
export type CapturiCasing = "camel" | "pascal";

export interface CapturiPayloadOptions {
  /** The wire value of `event`, sent as given: canonical names, aliases and unknown names alike. */
  event: string;
  /** Ignored for live summaries, which Capturi sends only as Full. Default `uid`. */
  mode?: CapturiPayloadMode;
  /** Default `camel`, as Capturi's newer docs show. */
  casing?: CapturiCasing;
  /** A fixed `eventUid`, to try duplicates. Default: a fresh uuid. */
  eventUid?: string;
  /** Reuse a conversation, e.g. so that a Uid payload and the Integration API agree. */
  conversation?: ConversationJson;
  now?: Date;
}

export interface CapturiPayload {
  body: Record<string, unknown>;
  /** The conversation the event is about; null for a live summary. Serve it to make Uid fetchable. */
  conversation: ConversationJson | null;
  mode: CapturiPayloadMode;
}

/** A realistic Capturi webhook body for `event`, in the chosen payload type and casing. */
export function generateCapturiPayload(options: CapturiPayloadOptions): CapturiPayload {
  const eventUid = options.eventUid ?? randomUuid();
  const casing = options.casing ?? "camel";
  if (normaliseCapturiEventType(options.event) === "LiveSummaryMessage") {
    const body = { eventUid, event: options.event, entity: liveSummary(options.now ?? new Date()) };
    // The metadata of a live summary is a free-form dictionary: its keys are data.
    const cased = casing === "pascal" ? toPascalCase(body, new Set(["scores", "metadata"])) : body;
    return { body: cased as Record<string, unknown>, conversation: null, mode: "full" };
  }
  const mode = options.mode ?? "uid";
  const conversation =
    options.conversation ?? generateConversation(options.now ? { now: options.now } : {});
  const body =
    mode === "uid"
      ? { eventUid, event: options.event, uid: conversation.uid }
      : { eventUid, event: options.event, entity: conversation };
  const cased = casing === "pascal" ? toPascalCase(body) : body;
  return { body: cased as Record<string, unknown>, conversation, mode };
}

const LIVE_SUMMARIES = [
  "Kunden er opkrævet to gange for april og overvejer at opsige abonnementet. Foreslå kreditnota.",
  "Kunden spørger til binding og opsigelsesvarsel; nævner et konkurrerende tilbud.",
  "Kunden kan ikke logge ind i selvbetjeningen efter skift af telefonnummer.",
] as const;

function liveSummary(now: Date) {
  return {
    uid: randomUuid(),
    puzzelSessionUid: randomUuid(),
    created: now.toISOString(),
    text: pick(LIVE_SUMMARIES),
    metadata: {
      queue: "Kundeservice",
      agentEmail: "jonas.holm@example.dk",
      callDirection: "Inbound",
    },
  };
}
