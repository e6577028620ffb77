import { createStandardWebhookVerifier } from "../../authenticate/verify-standard-webhook.ts";
import type { Config } from "../../config/load-config.ts";
import type { AuthOutcome, Source } from "../source.ts";
import type { CredoEvent } from "./credo-event.ts";
import { parseCredo } from "./parse-credo.ts";

export function createCredoSource(options: Config["credo"]): Source<CredoEvent> {
  const authenticate =
    options.auth === "none"
      ? (): AuthOutcome => ({ ok: true, method: "none", matchedKey: null })
      : createStandardWebhookVerifier({
          secrets: options.secrets,
          toleranceSeconds: options.timestampToleranceSeconds,
        });
  const eventType = { prefix: options.eventTypePrefix, suffix: options.eventTypeSuffix };
  return {
    name: "credo",
    // Svix delivers with POST only.
    methods: ["POST"],
    secretHeaders: [],
    authSummary:
      options.auth === "none"
        ? "NONE: signatures are not checked (CREDO_AUTH=none)"
        : `Standard Webhooks, ${options.secrets.length} secret(s), ±${options.timestampToleranceSeconds} s`,
    authenticate,
    parse: (json, request) => parseCredo(json, request, eventType),
  };
}
