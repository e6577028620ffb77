import { randomBytes } from "node:crypto";
import {
  type CapturiCasing,
  type CapturiPayloadMode,
  generateCapturiPayload,
} from "../payloads/generate-capturi-payload.ts";
import { generateCredoPayload } from "../payloads/generate-credo-payload.ts";
import { randomMessageId } from "../payloads/random-ids.ts";
import { signCredoDelivery } from "../payloads/sign-credo-delivery.ts";

/** One HTTP request, ready to send. */
export interface TestDelivery {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  /** The idempotency key the receiver will see: `svix-id` or `eventUid`. */
  key: string;
}

/** How far back `--stale-timestamp` puts the signature: past the receiver's ±5 min default. */
export const STALE_TIMESTAMP_SECONDS = 10 * 60;

export interface CredoDeliveryOptions {
  /** Base URL of the receiver, e.g. `http://localhost:3000`. */
  target: string;
  event: string;
  secret: string;
  prefix?: string | null;
  suffix?: string | null;
  messageId?: string;
  /** Sign with a random secret instead, to see `signature_mismatch`. */
  badSignature?: boolean;
  /** Sign as of ten minutes ago, to see `timestamp_outside_tolerance`. */
  staleTimestamp?: boolean;
  now?: Date;
}

export function buildCredoDelivery(options: CredoDeliveryOptions): TestDelivery {
  const now = options.now ?? new Date();
  const messageId = options.messageId ?? randomMessageId();
  const payload = generateCredoPayload({
    event: options.event,
    prefix: options.prefix ?? null,
    suffix: options.suffix ?? null,
    now,
  });
  const body = JSON.stringify(payload);
  const secret = options.badSignature
    ? `whsec_${randomBytes(32).toString("base64")}`
    : options.secret;
  const timestamp = options.staleTimestamp
    ? new Date(now.getTime() - STALE_TIMESTAMP_SECONDS * 1000)
    : now;
  return {
    url: `${trimSlash(options.target)}/webhooks/credo`,
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...signCredoDelivery({ secret, messageId, body, timestamp }),
    },
    body,
    key: messageId,
  };
}

export interface CapturiDeliveryOptions {
  target: string;
  event: string;
  mode?: CapturiPayloadMode;
  casing?: CapturiCasing;
  /** The header token; null sends none (to see `missing_token`). */
  token: string | null;
  /** Default `Authorization`, whose value then gets a `Bearer ` prefix. */
  tokenHeader?: string;
  method?: string;
  eventUid?: string;
}

export function buildCapturiDelivery(options: CapturiDeliveryOptions): TestDelivery {
  const payload = generateCapturiPayload({
    event: options.event,
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.casing ? { casing: options.casing } : {}),
    ...(options.eventUid ? { eventUid: options.eventUid } : {}),
  });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token !== null) {
    const name = options.tokenHeader ?? "Authorization";
    headers[name] =
      name.toLowerCase() === "authorization" ? `Bearer ${options.token}` : options.token;
  }
  const eventUid = (payload.body.eventUid ?? payload.body.EventUid) as string;
  return {
    url: `${trimSlash(options.target)}/webhooks/capturi`,
    method: options.method ?? "POST",
    headers,
    body: JSON.stringify(payload.body),
    key: eventUid,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
