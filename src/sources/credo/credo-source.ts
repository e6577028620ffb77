import { randomBytes } from "node:crypto";
import { headerValue } from "../../authenticate/header-value.ts";
import { createStandardWebhookVerifier } from "../../authenticate/verify-standard-webhook.ts";
import type { HandlerContext } from "../handler-context.ts";
import type { AuthOutcome, IncomingRequest } from "../source.ts";
import type { SourceDefinition } from "../source-definition.ts";
import { CREDO_EVENT_TYPES, type CredoEvent, type CredoEventType } from "./credo-event.ts";
import { type CredoSettings, credoSettingsSchema } from "./credo-settings.ts";
import { parseCredo } from "./parse-credo.ts";

/** What each Credo AI handler receives: the event with its typed `data`. */
export type CredoEvents = {
  [K in CredoEventType]: { event: CredoEvent<K>; context: HandlerContext };
};

/** Credo AI (AI governance): deliveries sent through Svix, signed the Standard Webhooks way. */
export const credoSource: SourceDefinition<"credo", CredoSettings, CredoEvents> = {
  name: "credo",
  eventTypes: CREDO_EVENT_TYPES,
  settings: credoSettingsSchema,

  developmentSecrets(settings) {
    if (settings.auth !== "standard-webhooks" || settings.secrets.length > 0) return [];
    return [
      {
        key: "credoWebhookSecret",
        variable: "CREDO_WEBHOOK_SECRETS (or CREDO_AUTH=none)",
        generate: () => `whsec_${randomBytes(32).toString("base64")}`,
        apply: (current, secret) => ({ ...current, secrets: [secret] }),
      },
    ];
  },

  // The whole `whsec_…` string, and its base64 key that a sender may paste without the prefix.
  secretValues: (settings) =>
    settings.secrets.flatMap((secret) => [secret, secret.replace(/^whsec_/, "")]),

  describe(settings, { generated }) {
    const none = settings.auth === "none";
    const secret = generated.credoWebhookSecret ?? "<one of CREDO_WEBHOOK_SECRETS>";
    return {
      label: "Credo AI",
      route: "(POST, signed by Svix)",
      details: [none ? "signatures not verified (CREDO_AUTH=none)" : `signing secret ${secret}`],
      authSummary: none
        ? "NONE: signatures are not checked (CREDO_AUTH=none)"
        : `Standard Webhooks, ${settings.secrets.length} secret(s), ±${settings.timestampToleranceSeconds} s`,
      warnings: none ? ["CREDO_AUTH=none: Credo AI signatures are NOT verified"] : [],
    };
  },

  configure(settings) {
    const authenticate =
      settings.auth === "none"
        ? unverified
        : createStandardWebhookVerifier({
            secrets: settings.secrets,
            toleranceSeconds: settings.timestampToleranceSeconds,
          });
    const affixes = { prefix: settings.eventTypePrefix, suffix: settings.eventTypeSuffix };
    return {
      // Svix delivers with POST only.
      methods: ["POST"],
      secretHeaders: [],
      authenticate,
      parse: (json, request) => parseCredo(json, request, affixes),
    };
  },
};

/**
 * With signatures off there is no signed id, but Svix still sends one (`webhook-id` from
 * white-labelled accounts): it is taken as sent, so that Svix's retries are still duplicates.
 */
function unverified(request: IncomingRequest): AuthOutcome {
  const messageId = headerValue(request, "svix-id") ?? headerValue(request, "webhook-id") ?? null;
  return { ok: true, method: "none", matchedKey: null, messageId };
}
