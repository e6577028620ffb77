import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CapturiEventType } from "../../../src/sources/capturi/capturi-event.ts";
import { parseCapturi } from "../../../src/sources/capturi/parse-capturi.ts";
import { sha256Hex } from "../../../src/sources/sha256-hex.ts";
import type { IncomingRequest, ParseOutcome, PayloadMode } from "../../../src/sources/source.ts";
import {
  type CapturiFixtureName,
  capturiFixtureNames,
  capturiFixtures,
} from "../../fixtures/index.ts";

const SALES_CALL_UID = "c4f8e2a1-6b3d-4e9f-a7c5-1d2e3f4a5b6c";
const SUPPORT_CALL_UID = "61a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8";
const LIVE_SUMMARY_UID = "2b7e4f91-c3a6-4d58-b0e2-9f1a7c3d5e84";
const SALES_SCORE_UID = "0a1b2c3d-4e5f-4678-89ab-cdef01234567";

/** A delivery as the receive step hands it over: the bytes, and the JSON read from them. */
function deliver(body: unknown) {
  const rawBody = Buffer.from(JSON.stringify(body));
  const request: IncomingRequest = { method: "POST", headers: {}, rawBody };
  return { rawBody, outcome: parseCapturi(JSON.parse(rawBody.toString("utf8")), request) };
}

function accepted(body: unknown) {
  const { outcome } = deliver(body);
  if (outcome.status !== "accepted") throw new Error(`expected accepted, got ${outcome.status}`);
  return outcome;
}

function issuePaths(outcome: ParseOutcome<unknown>): string[] {
  return outcome.status === "invalid" ? outcome.issues.map((issue) => issue.path) : [];
}

interface Expected {
  eventType: CapturiEventType;
  mode: PayloadMode;
  uid: string;
  eventUid: string | null;
}

// Typed over every fixture name: a new fixture does not compile until it has an expectation.
const expectations: Record<CapturiFixtureName, Expected> = {
  conversationProcessedUid: {
    eventType: "ConversationProcessed",
    mode: "uid",
    uid: SALES_CALL_UID,
    eventUid: "9d3f7a21-6c4e-4b8a-b5f0-e12c34d56a78",
  },
  conversationProcessedFull: {
    eventType: "ConversationProcessed",
    mode: "full",
    uid: SALES_CALL_UID,
    eventUid: "4a6c8e0f-2b4d-4f6a-8c1e-3a5c7e9b0d2f",
  },
  conversationSummaryUpdatedUid: {
    eventType: "ConversationSummaryUpdated",
    mode: "uid",
    uid: SUPPORT_CALL_UID,
    eventUid: null,
  },
  conversationSummaryUpdatedFull: {
    eventType: "ConversationSummaryUpdated",
    mode: "full",
    uid: SUPPORT_CALL_UID,
    eventUid: "7e9f1a3b-5c7d-4e9f-a1b3-c5d7e9f1a3b5",
  },
  liveSummaryMessageFull: {
    eventType: "LiveSummaryMessage",
    mode: "full",
    uid: LIVE_SUMMARY_UID,
    eventUid: "1f3e5d7c-9b1a-4c3e-8d5f-7a9c1e3b5d7f",
  },
  conversationProcessedUidPascal: {
    eventType: "ConversationProcessed",
    mode: "uid",
    uid: SALES_CALL_UID,
    eventUid: "9d3f7a21-6c4e-4b8a-b5f0-e12c34d56a78",
  },
  conversationProcessedFullPascal: {
    eventType: "ConversationProcessed",
    mode: "full",
    uid: SALES_CALL_UID,
    eventUid: "4a6c8e0f-2b4d-4f6a-8c1e-3a5c7e9b0d2f",
  },
  conversationSummaryUpdatedUidPascal: {
    eventType: "ConversationSummaryUpdated",
    mode: "uid",
    uid: SUPPORT_CALL_UID,
    eventUid: null,
  },
  conversationSummaryUpdatedFullPascal: {
    eventType: "ConversationSummaryUpdated",
    mode: "full",
    uid: SUPPORT_CALL_UID,
    eventUid: "7e9f1a3b-5c7d-4e9f-a1b3-c5d7e9f1a3b5",
  },
  liveSummaryMessageFullPascal: {
    eventType: "LiveSummaryMessage",
    mode: "full",
    uid: LIVE_SUMMARY_UID,
    eventUid: "1f3e5d7c-9b1a-4c3e-8d5f-7a9c1e3b5d7f",
  },
  summaryReadyUidPascal: {
    eventType: "ConversationSummaryUpdated",
    mode: "uid",
    uid: SUPPORT_CALL_UID,
    eventUid: "6b8d0f2a-4c6e-4a8b-9d0f-2a4c6e8b0d2f",
  },
  conversationProcessedFullNewerFields: {
    eventType: "ConversationProcessed",
    mode: "full",
    uid: SALES_CALL_UID,
    eventUid: "8c0e2a4b-6d8f-4b0c-a2e4-6a8c0e2b4d6f",
  },
};

describe("parseCapturi: fixtures", () => {
  it.each(capturiFixtureNames)("accepts %s", (name) => {
    const { rawBody, outcome } = deliver(capturiFixtures[name]);
    const { eventType, mode, uid, eventUid } = expectations[name];
    expect(outcome).toMatchObject({
      status: "accepted",
      eventType,
      payloadMode: mode,
      entityUid: uid,
      idempotencyKey: eventUid ?? sha256Hex(rawBody),
      event: { source: "capturi", type: eventType, mode, uid, eventUid },
    });
    if (outcome.status !== "accepted") return;
    expect(outcome.event.entity === null).toBe(mode === "uid");
  });

  const pairs: [CapturiFixtureName, CapturiFixtureName][] = [
    ["conversationProcessedUid", "conversationProcessedUidPascal"],
    ["conversationProcessedFull", "conversationProcessedFullPascal"],
    ["conversationSummaryUpdatedUid", "conversationSummaryUpdatedUidPascal"],
    ["conversationSummaryUpdatedFull", "conversationSummaryUpdatedFullPascal"],
    ["liveSummaryMessageFull", "liveSummaryMessageFullPascal"],
  ];
  it.each(pairs)("reads %s and %s as the same event", (camel, pascal) => {
    expect(accepted(capturiFixtures[pascal]).event).toStrictEqual(
      accepted(capturiFixtures[camel]).event,
    );
  });

  it("normalises PascalCase entity fields to camelCase at every level", () => {
    const { event } = accepted(capturiFixtures.conversationProcessedFullPascal);
    if (event.type === "LiveSummaryMessage") throw new Error("expected a conversation");
    expect(event.entity).not.toHaveProperty("State");
    expect(event.entity?.state).toBe("Success");
    expect(event.entity?.statistics?.salesPerson?.speaker?.speakerId).toBe(0);
    expect(event.entity?.scores?.[SALES_SCORE_UID]?.parameters?.[0]?.score).toBe(90);
  });

  it("keeps fields it does not know, at every level", () => {
    const { event } = accepted(capturiFixtures.conversationProcessedFullNewerFields);
    if (event.type === "LiveSummaryMessage") throw new Error("expected a conversation");
    expect(event.entity).toMatchObject({
      languageCode: "da-DK",
      statistics: { salesPerson: { speaker: { wordCount: 716 } } },
      trackerHits: [{ name: "Pris" }, {}],
      aiInsights: { nextBestAction: "Send skriftligt tilbud" },
      scores: { [SALES_SCORE_UID]: { name: "Salgssamtale B2B" } },
    });
  });
});

describe("parseCapturi: event names", () => {
  it.each([
    ["SummaryReady", "ConversationSummaryUpdated"],
    ["LiveSummaryCreated", "LiveSummaryMessage"],
    ["conversationprocessed", "ConversationProcessed"],
    ["SUMMARYREADY", "ConversationSummaryUpdated"],
  ])("reads %s as %s", (raw, type) => {
    const base = capturiFixtures.liveSummaryMessageFull;
    const body =
      type === "LiveSummaryMessage" ? { ...base, event: raw } : { event: raw, uid: SALES_CALL_UID };
    expect(deliver(body).outcome).toMatchObject({
      status: "accepted",
      eventType: type,
      event: { type },
    });
  });

  it("reports an unknown event as unhandled under the name as sent", () => {
    const body = {
      eventUid: "0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1f",
      event: "ConversationDeleted",
      uid: SALES_CALL_UID,
    };
    expect(deliver(body).outcome).toStrictEqual({
      status: "unhandled",
      eventType: "ConversationDeleted",
      idempotencyKey: "0f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1f",
      payloadMode: "uid",
      entityUid: SALES_CALL_UID,
    });
  });

  it("reports a body without an event name as invalid at `event`", () => {
    const { uid } = capturiFixtures.conversationProcessedUid;
    const { outcome } = deliver({ Event: 7, Uid: uid });
    expect(outcome).toMatchObject({ status: "invalid", eventType: null, entityUid: uid });
    expect(issuePaths(outcome)).toEqual(["event"]);
  });
});

describe("parseCapturi: invalid payloads", () => {
  const full = capturiFixtures.conversationProcessedFull;
  const pascal = capturiFixtures.conversationProcessedFullPascal;
  const live = capturiFixtures.liveSummaryMessageFull;
  const cases: [string, unknown, string][] = [
    [
      "an unknown state",
      { ...full, entity: { ...full.entity, state: "Finished" } },
      "entity.state",
    ],
    [
      "an unknown PascalCase state",
      { ...pascal, Entity: { ...pascal.Entity, State: "Done" } },
      "entity.state",
    ],
    ["a uid that is not a guid", { event: "ConversationProcessed", uid: "conv-42" }, "uid"],
    ["a missing uid", { event: "ConversationProcessed" }, "uid"],
    [
      "an entity without uid",
      { ...full, entity: { ...full.entity, uid: undefined } },
      "entity.uid",
    ],
    [
      "an entity uid that is not a guid",
      { ...full, entity: { ...full.entity, uid: "x" } },
      "entity.uid",
    ],
    ["an eventUid that is not a guid", { ...full, eventUid: "evt-1" }, "eventUid"],
    [
      "a date that is not a date",
      { ...full, entity: { ...full.entity, dateTime: "yesterday" } },
      "entity.dateTime",
    ],
    [
      "a fractional speaker count",
      {
        ...full,
        entity: { ...full.entity, details: { ...full.entity.details, speakerCount: 2.5 } },
      },
      "entity.details.speakerCount",
    ],
    [
      "null in a field that may be absent but never null",
      { ...full, entity: { ...full.entity, hasAudio: null } },
      "entity.hasAudio",
    ],
    [
      "a live summary sent as a Uid payload",
      { event: "LiveSummaryMessage", uid: LIVE_SUMMARY_UID },
      "entity",
    ],
    [
      "a live summary whose metadata is not text",
      { ...live, entity: { ...live.entity, metadata: { queue: 3 } } },
      "entity.metadata.queue",
    ],
  ];
  it.each(cases)("rejects %s", (_name, body, path) => {
    const { outcome } = deliver(body);
    expect(outcome.status).toBe("invalid");
    expect(issuePaths(outcome)).toEqual([path]);
  });

  it("still reports the event name, mode and uid of an invalid payload", () => {
    const body = { ...full, entity: { ...full.entity, state: "Finished" } };
    expect(deliver(body).outcome).toMatchObject({
      status: "invalid",
      eventType: "ConversationProcessed",
      payloadMode: "full",
      entityUid: SALES_CALL_UID,
      idempotencyKey: full.eventUid,
    });
  });

  it("reads `entity: null` as a Uid payload", () => {
    const { event } = accepted({
      event: "ConversationProcessed",
      uid: SALES_CALL_UID,
      entity: null,
    });
    expect(event).toMatchObject({ mode: "uid", uid: SALES_CALL_UID, entity: null });
  });

  it("keeps the keys of the scores map as sent", () => {
    const upper = SALES_SCORE_UID.toUpperCase();
    const scores = { [upper]: full.entity.scores[SALES_SCORE_UID] };
    const { event } = accepted({ ...full, entity: { ...full.entity, scores } });
    if (event.type === "LiveSummaryMessage") throw new Error("expected a conversation");
    expect(Object.keys(event.entity?.scores ?? {})).toEqual([upper]);
  });
});

describe("parseCapturi: idempotency key", () => {
  const body = capturiFixtures.conversationSummaryUpdatedUid;

  it("is the SHA-256 of the raw body when there is no eventUid", () => {
    const { rawBody, outcome } = deliver(body);
    expect(outcome.idempotencyKey).toBe(sha256Hex(rawBody));
    expect(outcome.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is the same for the same bytes and differs for other bytes", () => {
    expect(deliver(body).outcome.idempotencyKey).toBe(
      deliver(structuredClone(body)).outcome.idempotencyKey,
    );
    const other = { ...body, uid: SALES_CALL_UID };
    expect(deliver(other).outcome.idempotencyKey).not.toBe(deliver(body).outcome.idempotencyKey);
  });

  it("falls back to the bytes when eventUid is not a guid", () => {
    const { rawBody, outcome } = deliver({ ...body, eventUid: "not-a-guid" });
    expect(outcome.idempotencyKey).toBe(sha256Hex(rawBody));
  });
});

describe("parseCapturi: odd JSON", () => {
  let junk: unknown = [null];
  for (let level = 0; level < 2_000; level += 1) junk = { Entity: junk, uid: [level] };
  const known = { event: "ConversationProcessed", uid: SALES_CALL_UID };
  const deepEntity = {
    ...known,
    entity: { uid: SALES_CALL_UID, statistics: { salesPerson: junk } },
  };

  it.each([
    ["null", null, "invalid"],
    ["a number", 42, "invalid"],
    ["a string", "x", "invalid"],
    ["an array", [], "invalid"],
    ["a numeric event", { event: 5 }, "invalid"],
    ["an event name that is an object", { event: { name: "ConversationProcessed" } }, "invalid"],
    ["an array entity", { ...known, entity: [] }, "invalid"],
    ["a prototype key", JSON.parse('{"__proto__": {"event": "ConversationProcessed"}}'), "invalid"],
    ["deeply nested junk", junk, "invalid"],
    ["deeply nested junk in unknown fields", deepEntity, "accepted"],
    [
      "deeply nested junk under an unknown event",
      { ...known, event: "X", entity: junk },
      "unhandled",
    ],
  ])("answers %s with an outcome instead of throwing", (_name, json, status) => {
    const request: IncomingRequest = { method: "POST", headers: {}, rawBody: Buffer.from("{}") };
    const outcome = parseCapturi(json, request);
    expect(outcome.status).toBe(status);
    expect(outcome.idempotencyKey).toBe(sha256Hex(request.rawBody));
  });

  it("never throws for any JSON value", () => {
    const request: IncomingRequest = { method: "POST", headers: {}, rawBody: Buffer.from("{}") };
    const event = fc.constantFrom("ConversationProcessed", "LiveSummaryMessage", "SummaryReady");
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        { event, uid: fc.jsonValue(), entity: fc.jsonValue() },
        { requiredKeys: ["event"] },
      ),
    );
    fc.assert(
      fc.property(body, (json) => {
        expect(parseCapturi(json, request).idempotencyKey).toMatch(/^[0-9a-f-]{36,64}$/);
      }),
    );
  });
});

describe("an EventUid that says no event id", () => {
  it.each(["00000000-0000-0000-0000-000000000000", ""])(
    "reads %j as none: the key is the bytes' hash and eventUid null",
    (eventUid) => {
      for (const casing of ["eventUid", "EventUid"]) {
        const body = { [casing]: eventUid, event: "ConversationProcessed", uid: SALES_CALL_UID };
        const { rawBody, outcome } = deliver(body);
        expect(outcome.idempotencyKey).toBe(sha256Hex(rawBody));
        expect(accepted(body).event.eventUid).toBeNull();
      }
    },
  );
});
