import { z } from "zod";
import { missingOAuthAttributes } from "../../credo-api/missing-o-auth-attributes.ts";

const optionalText = z.string().nullish();

/** What Credo AI accepts as webhook attributes; the sandbox answers 422 to anything else. */
export const webhookAttributesSchema = z
  .object({
    description: z.string().min(1),
    url: z.url({ protocol: /^https?$/ }),
    // Credo AI takes any event name, known or not (new ones appear without notice).
    event_types: z.array(z.string().min(1)).min(1),
    authentication_method: z.enum(["none", "o_auth"]),
    event_type_prefix: optionalText,
    event_type_suffix: optionalText,
    environment: optionalText,
    bucket: optionalText,
    authentication_server: z.url().nullish(),
    authentication_payload: z.record(z.string(), z.unknown()).nullish(),
    authentication_payload_type: optionalText,
  })
  .superRefine((attributes, ctx) => {
    for (const name of missingOAuthAttributes(attributes)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "Required when authentication_method is o_auth",
      });
    }
  });

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
