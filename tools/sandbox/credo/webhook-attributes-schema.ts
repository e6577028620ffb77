import { z } from "zod";
import { CREDO_EVENT_TYPES } from "../../../src/sources/credo/credo-event.ts";

const optionalText = z.string().nullish();

/** What Credo AI accepts as webhook attributes; the sandbox answers 422 to anything else. */
export const webhookAttributesSchema = z
  .object({
    description: z.string().min(1),
    url: z.url({ protocol: /^https?$/ }),
    event_types: z.array(z.enum(CREDO_EVENT_TYPES)).min(1),
    authentication_method: z.enum(["none", "o_auth"]),
    event_type_prefix: optionalText,
    event_type_suffix: optionalText,
    environment: optionalText,
    bucket: optionalText,
    authentication_server: z.url().nullish(),
    authentication_payload: z.record(z.string(), z.unknown()).nullish(),
    authentication_payload_type: optionalText,
  })
  .refine(
    (attributes) =>
      attributes.authentication_method !== "o_auth" || Boolean(attributes.authentication_server),
    {
      path: ["authentication_server"],
      error: "Required when authentication_method is o_auth",
    },
  );

export const webhookCreateDocumentSchema = z.object({
  data: z.object({ type: z.literal("webhook"), attributes: webhookAttributesSchema }),
});

/** PATCH may send only the attributes that change; they are merged, then validated whole. */
export const webhookUpdateDocumentSchema = z.object({
  data: z.object({
    id: z.string(),
    type: z.literal("webhook"),
    attributes: z.record(z.string(), z.unknown()),
  }),
});
