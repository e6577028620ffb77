import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { components } from "../../src/generated/capturi-integration-api.ts";
import type {
  CapturiConversationEvent,
  CapturiEventType,
  CapturiLiveSummaryEvent,
} from "../../src/sources/capturi/capturi-event.ts";
import type {
  ConversationState,
  IgnoredPhraseReason,
  IntegrationConversationView,
  SentimentLevel,
} from "../../src/sources/capturi/conversation-schema.ts";
import type {
  ProblemDetails,
  problemDetailsSchema,
} from "../../src/sources/capturi/integration-api/create-capturi-client.ts";

/*
 * The receiver's zod schemas and the types generated from openapi/capturi-integration-api.yaml
 * describe the same wire format twice; these assertions make `tsc` (part of `npm test`) fail when
 * the two drift apart: a renamed field, a changed type, an optional field made required, an enum
 * member added or removed, on either side. expectTypeOf checks nothing at run time.
 */

type Spec = components["schemas"];

/**
 * `T` without the `[key: string]: unknown` that loose zod objects add for unknown fields, at every
 * depth. Index signatures with a real value type (`scores: Record<string, Score>`) are data and
 * stay, so their values are compared too.
 */
type Known<T> = T extends readonly (infer Item)[]
  ? Known<Item>[]
  : T extends object
    ? { [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Known<T[K]> }
    : T;

/** The same fields with the same types, where `null`/absent may differ (the receiver is lenient). */
type PresenceBlind<T> = T extends readonly (infer Item)[]
  ? PresenceBlind<Item>[]
  : T extends object
    ? { [K in keyof T]-?: PresenceBlind<NonNullable<T[K]>> }
    : T;

describe("the receiver's zod schemas agree with the generated Capturi types", () => {
  it("IntegrationConversationView: every field, its type, optionality and enums", () => {
    expectTypeOf<Known<IntegrationConversationView>>().toEqualTypeOf<
      Known<Spec["IntegrationConversationView"]>
    >();
    // Known<> must not hide a field the zod schema has and the spec lacks (or the other way round).
    expectTypeOf<keyof Known<IntegrationConversationView>>().toEqualTypeOf<
      keyof Spec["IntegrationConversationView"]
    >();
  });

  it("the enums", () => {
    expectTypeOf<ConversationState>().toEqualTypeOf<Spec["ConversationState"]>();
    expectTypeOf<SentimentLevel>().toEqualTypeOf<Spec["SentimentLevel"]>();
    expectTypeOf<IgnoredPhraseReason>().toEqualTypeOf<Spec["IgnoredPhraseReason"]>();
    expectTypeOf<CapturiEventType>().toEqualTypeOf<Spec["CapturiWebhookEvent"]>();
  });

  it("the webhook payloads, as far as the receiver's typed events keep them", () => {
    type Uid = Spec["UidWebhookPayload"];
    type Full = Spec["FullWebhookPayload"];
    type Live = Spec["LiveSummaryWebhookPayload"];
    expectTypeOf<CapturiConversationEvent["uid"]>().toEqualTypeOf<Uid["uid"]>();
    expectTypeOf<NonNullable<CapturiConversationEvent["eventUid"]>>().toEqualTypeOf<
      NonNullable<Uid["eventUid"]>
    >();
    expectTypeOf<CapturiConversationEvent["type"]>().toExtend<Full["event"]>();
    expectTypeOf<CapturiLiveSummaryEvent["type"]>().toEqualTypeOf<Live["event"]>();
    expectTypeOf<Known<NonNullable<CapturiConversationEvent["entity"]>>>().toEqualTypeOf<
      Known<Full["entity"]>
    >();
  });

  it("the live summary entity: same fields and types; the receiver also takes null or absent", () => {
    type Receiver = Known<CapturiLiveSummaryEvent["entity"]>;
    expectTypeOf<PresenceBlind<Receiver>>().toEqualTypeOf<PresenceBlind<Spec["LiveSummary"]>>();
    // Every payload the spec allows, the receiver accepts.
    expectTypeOf<Spec["LiveSummary"]>().toExtend<Receiver>();
  });

  it("ProblemDetails as the API client reads it", () => {
    expectTypeOf<Known<z.output<typeof problemDetailsSchema>>>().toEqualTypeOf<
      Spec["ProblemDetails"]
    >();
    expectTypeOf<ProblemDetails>().toEqualTypeOf<Spec["ProblemDetails"]>();
  });
});
