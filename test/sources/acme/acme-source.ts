/**
 * A third provider, written the way a user adds one: this file and a line in the handler map.
 * "Acme" signs the raw body with HMAC-SHA256 (hex, in `x-acme-signature`), as many providers do,
 * and sends `{ "id", "type", "data" }`.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { HandlerContext } from "../../../src/sources/handler-context.ts";
import type { AuthOutcome, IncomingRequest, ParseOutcome } from "../../../src/sources/source.ts";
import type { SourceDefinition } from "../../../src/sources/source-definition.ts";
import { toParseIssues } from "../../../src/sources/to-parse-issues.ts";

export const ACME_EVENT_TYPES = ["order_paid"] as const;

const orderPaidSchema = z.object({
  id: z.string().min(1),
  type: z.literal("order_paid"),
  data: z.object({ orderId: z.string(), amountCents: z.number().int() }),
});
export type AcmeOrderPaid = z.output<typeof orderPaidSchema>;

export type AcmeEvents = { order_paid: { event: AcmeOrderPaid; context: HandlerContext } };

export interface AcmeSettings {
  secret: string | undefined;
}

export const acmeSource: SourceDefinition<"acme", AcmeSettings, AcmeEvents> = {
  name: "acme",
  eventTypes: ACME_EVENT_TYPES,
  settings: z
    .object({ ACME_SECRET: z.string().min(16).optional() })
    .transform((e) => ({ secret: e.ACME_SECRET })),
  developmentSecrets: (settings) =>
    settings.secret
      ? []
      : [
          {
            key: "acmeSecret",
            variable: "ACME_SECRET",
            generate: () => randomBytes(24).toString("hex"),
            apply: (current, secret) => ({ ...current, secret }),
          },
        ],
  describe: (_settings, { generated }) => ({
    label: "Acme",
    route: "(POST, HMAC-SHA256 in x-acme-signature)",
    details: [`secret ${generated.acmeSecret ?? "<ACME_SECRET>"}`],
    authSummary: "HMAC-SHA256",
    warnings: [],
  }),
  configure: (settings) => ({
    methods: ["POST"],
    secretHeaders: [],
    authenticate: (request) => verifyAcme(request, settings.secret ?? ""),
    parse: parseAcme,
  }),
};

export function signAcme(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

function verifyAcme(request: IncomingRequest, secret: string): AuthOutcome {
  const given = Buffer.from(String(request.headers["x-acme-signature"] ?? ""), "hex");
  const expected = Buffer.from(signAcme(request.rawBody.toString("utf8"), secret), "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, status: 401, code: "signature_mismatch", message: "Bad x-acme-signature." };
  }
  return { ok: true, method: "hmac-sha256", matchedKey: null, messageId: null };
}

function parseAcme(json: unknown): ParseOutcome<AcmeOrderPaid> {
  const id = typeof json === "object" && json !== null && "id" in json ? String(json.id) : "";
  const facts = { idempotencyKey: id, payloadMode: "full" as const, entityUid: null };
  const result = orderPaidSchema.safeParse(json);
  if (result.success) {
    return { status: "accepted", event: result.data, eventType: "order_paid", ...facts };
  }
  return { status: "invalid", eventType: null, issues: toParseIssues(result.error), ...facts };
}
