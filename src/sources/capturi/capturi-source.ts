import { randomBytes } from "node:crypto";
import { createHeaderTokenVerifier } from "../../authenticate/verify-header-token.ts";
import type { HandlerContext } from "../handler-context.ts";
import type { AuthOutcome, ExtendContext, HandlerServices } from "../source.ts";
import type { SourceDefinition } from "../source-definition.ts";
import {
  CAPTURI_EVENT_TYPES,
  type CapturiConversationEvent,
  type CapturiEvent,
  type CapturiLiveSummaryEvent,
} from "./capturi-event.ts";
import { type CapturiSettings, capturiSettingsSchema } from "./capturi-settings.ts";
import type { ConversationContext } from "./conversation-context.ts";
import { createConversationLoader } from "./create-conversation-loader.ts";
import { createCapturiClient } from "./integration-api/create-capturi-client.ts";
import { parseCapturi } from "./parse-capturi.ts";

/** Capturi lets the customer pick any verb that carries a body. */
const CAPTURI_METHODS = ["POST", "PUT", "PATCH"] as const;

type Conversation<K> = CapturiConversationEvent & { type: K };

/** What each Capturi handler receives: conversation events also get `ctx.conversation()`. */
export type CapturiEvents = {
  ConversationProcessed: {
    event: Conversation<"ConversationProcessed">;
    context: ConversationContext;
  };
  ConversationSummaryUpdated: {
    event: Conversation<"ConversationSummaryUpdated">;
    context: ConversationContext;
  };
  LiveSummaryMessage: { event: CapturiLiveSummaryEvent; context: HandlerContext };
};

/** Capturi (conversation analytics): static header tokens, Uid or Full payloads. */
export const capturiSource: SourceDefinition<"capturi", CapturiSettings, CapturiEvents> = {
  name: "capturi",
  eventTypes: CAPTURI_EVENT_TYPES,
  settings: capturiSettingsSchema,

  developmentSecrets(settings) {
    if (settings.auth !== "header-token" || settings.tokens.length > 0) return [];
    return [
      {
        key: "capturiToken",
        variable: "CAPTURI_TOKENS (or CAPTURI_AUTH=none)",
        generate: () => randomBytes(32).toString("base64url"),
        apply: (current, token) => ({ ...current, tokens: [token] }),
      },
    ];
  },

  // A token is matched bare, so `Bearer <token>` and any other wrapping are caught too.
  secretValues: (settings) => [...settings.tokens, settings.api.token ?? ""],

  describe(settings, { generated }) {
    const header = settings.tokenHeader;
    const none = settings.auth === "none";
    const token = generated.capturiToken ?? "<one of CAPTURI_TOKENS>";
    return {
      label: "Capturi",
      route: "(POST, PUT or PATCH)",
      details: [
        none
          ? "no authentication (CAPTURI_AUTH=none)"
          : `header ${header}: ${header === "authorization" ? "Bearer " : ""}${token}`,
      ],
      authSummary: none
        ? "NONE: anyone can post Capturi events (CAPTURI_AUTH=none)"
        : `header token in ${header}, ${settings.tokens.length} accepted`,
      warnings: none ? ["CAPTURI_AUTH=none: anyone can post Capturi events"] : [],
    };
  },

  configure(settings) {
    const authenticate =
      settings.auth === "none"
        ? (): AuthOutcome => ({ ok: true, method: "none", matchedKey: null, messageId: null })
        : createHeaderTokenVerifier({ header: settings.tokenHeader, tokens: settings.tokens });
    return {
      methods: CAPTURI_METHODS,
      secretHeaders: [settings.tokenHeader],
      ...(settings.auth === "none" ? {} : { tokenHeader: settings.tokenHeader }),
      authenticate,
      parse: parseCapturi,
      handlerContext: (services) => conversationContext(settings, services),
    };
  },
};

/** Conversation events get `ctx.conversation()`: the embedded entity, or fetched by uid. */
function conversationContext(settings: CapturiSettings, services: HandlerServices): ExtendContext {
  const conversations = createConversationLoader({
    client: createCapturiClient({
      ...settings.api,
      ...(services.fetch ? { fetch: services.fetch } : {}),
    }),
    snapshots: services.snapshots,
  });
  return (event, ctx) => {
    const capturi = event as CapturiEvent;
    if (capturi.type === "LiveSummaryMessage") return ctx;
    return {
      ...ctx,
      conversation: () => conversations.load(capturi, ctx.deliveryId),
    } satisfies ConversationContext;
  };
}
