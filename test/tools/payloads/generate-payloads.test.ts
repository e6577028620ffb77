import { describe, expect, it } from "vitest";
import { CAPTURI_EVENT_TYPES } from "../../../src/sources/capturi/capturi-event.ts";
import { parseCapturi } from "../../../src/sources/capturi/parse-capturi.ts";
import { CREDO_EVENT_TYPES } from "../../../src/sources/credo/credo-event.ts";
import { parseCredo } from "../../../src/sources/credo/parse-credo.ts";
import {
  type CapturiCasing,
  type CapturiPayloadMode,
  generateCapturiPayload,
} from "../../../tools/payloads/generate-capturi-payload.ts";
import { generateCredoPayload } from "../../../tools/payloads/generate-credo-payload.ts";

// The sender's payloads must pass the receiver's own schemas: this ties the two together.
function asRequest(body: unknown) {
  const auth = { method: "none", matchedKey: null, messageId: "msg_generated" } as const;
  return { method: "POST", headers: {}, rawBody: Buffer.from(JSON.stringify(body)), auth };
}

const combinations = CAPTURI_EVENT_TYPES.flatMap((event) =>
  (["uid", "full"] as CapturiPayloadMode[]).flatMap((mode) =>
    (["camel", "pascal"] as CapturiCasing[]).map((casing) => ({ event, mode, casing })),
  ),
);

describe("generateCapturiPayload", () => {
  it.each(combinations)(
    "$event as $mode, $casing parses as accepted",
    ({ event, mode, casing }) => {
      for (let i = 0; i < 20; i++) {
        const payload = generateCapturiPayload({ event, mode, casing });
        const outcome = parseCapturi(payload.body, asRequest(payload.body));

        expect(outcome).toMatchObject({
          status: "accepted",
          eventType: event,
          payloadMode: payload.mode,
        });
      }
    },
  );

  it("gives every event a fresh eventUid and conversation uid, with lastChanged = now", () => {
    const now = new Date("2025-06-02T12:00:00.000Z");
    const first = generateCapturiPayload({ event: "ConversationProcessed", mode: "full", now });
    const second = generateCapturiPayload({ event: "ConversationProcessed", mode: "full", now });

    expect(first.body.eventUid).not.toBe(second.body.eventUid);
    expect(first.conversation?.uid).not.toBe(second.conversation?.uid);
    expect(first.conversation?.lastChanged).toBe(now.toISOString());
  });

  it("writes PascalCase members but keeps the keys of dictionaries", () => {
    const full = generateCapturiPayload({
      event: "ConversationProcessed",
      mode: "full",
      casing: "pascal",
    });
    const entity = full.body.Entity as Record<string, Record<string, unknown>>;
    expect(Object.keys(full.body)).toEqual(["EventUid", "Event", "Entity"]);
    expect(entity.SentimentRaw).toHaveProperty("WordScore");
    expect(Object.keys(entity.Scores ?? {})[0]).toMatch(/^[0-9a-f-]{36}$/);

    const live = generateCapturiPayload({ event: "LiveSummaryMessage", casing: "pascal" });
    expect((live.body.Entity as Record<string, object>).Metadata).toHaveProperty("queue");
  });

  it("sends an unknown event name as given, which the receiver stores as unhandled", () => {
    const payload = generateCapturiPayload({ event: "ConversationDeleted" });
    expect(parseCapturi(payload.body, asRequest(payload.body)).status).toBe("unhandled");
  });
});

describe("generateCredoPayload", () => {
  it.each(CREDO_EVENT_TYPES)("%s parses as accepted", (event) => {
    for (let i = 0; i < 20; i++) {
      const payload = generateCredoPayload({ event });
      const outcome = parseCredo(payload, asRequest(payload));

      expect(outcome).toMatchObject({ status: "accepted", eventType: event });
    }
  });

  it("builds type from the subscription's prefix and suffix, leaving out empty ones", () => {
    expect(generateCredoPayload({ event: "use_case_name_updated" }).type).toBe(
      "CredoAI.use_case_name_updated.v1",
    );
    expect(
      generateCredoPayload({ event: "use_case_name_updated", prefix: "acme.prod", suffix: "" })
        .type,
    ).toBe("acme.prod.use_case_name_updated");
    const custom = generateCredoPayload({
      event: "use_case_icon_updated",
      prefix: "acme",
      suffix: "v2",
    });
    expect(parseCredo(custom, asRequest(custom), { prefix: "acme", suffix: "v2" }).status).toBe(
      "accepted",
    );
  });
});
