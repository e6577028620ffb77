import { z } from "zod";
import { commaList, positiveInt } from "../../config/env-schemas.ts";

/** Credo AI's variables; `.env.example` explains each. */
export const credoSettingsSchema = z
  .object({
    CREDO_AUTH: z.enum(["standard-webhooks", "none"]).default("standard-webhooks"),
    CREDO_WEBHOOK_SECRETS: commaList.check((ctx) => {
      const malformed = ctx.value.filter((secret) => !isStandardWebhooksSecret(secret)).length;
      // The message counts the bad entries and never echoes one: they are secrets.
      if (malformed > 0) {
        ctx.issues.push({
          code: "custom",
          input: ctx.value,
          message: `${malformed} entr${malformed === 1 ? "y is" : "ies are"} not a Standard Webhooks secret (expected whsec_ followed by base64)`,
        });
      }
    }),
    CREDO_TIMESTAMP_TOLERANCE_SECONDS: positiveInt(300),
    CREDO_EVENT_TYPE_PREFIX: z.string().optional(),
    CREDO_EVENT_TYPE_SUFFIX: z.string().optional(),
  })
  .transform(
    (e): CredoSettings => ({
      auth: e.CREDO_AUTH,
      secrets: e.CREDO_WEBHOOK_SECRETS,
      timestampToleranceSeconds: e.CREDO_TIMESTAMP_TOLERANCE_SECONDS,
      eventTypePrefix: e.CREDO_EVENT_TYPE_PREFIX,
      eventTypeSuffix: e.CREDO_EVENT_TYPE_SUFFIX,
    }),
  );

export interface CredoSettings {
  auth: "standard-webhooks" | "none";
  /** `whsec_...` secrets; several at once while a secret is rotated. Empty: generate for development. */
  secrets: string[];
  timestampToleranceSeconds: number;
  /** The subscription's `event_type_prefix` / `_suffix`; routing finds the event name without them. */
  eventTypePrefix: string | undefined;
  eventTypeSuffix: string | undefined;
}

export function isStandardWebhooksSecret(secret: string): boolean {
  const base64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  return /^[A-Za-z0-9+/]+={0,2}$/.test(base64) && Buffer.from(base64, "base64").length >= 16;
}
