import { Webhook } from "standardwebhooks";
import { TEST_CREDO_SECRET } from "./create-test-receiver.ts";

export interface SignOptions {
  secret?: string;
  id?: string;
  /** Defaults to now. */
  timestamp?: Date;
  /** Svix sends `svix-*`; white-labelled accounts send `webhook-*`. */
  prefix?: "svix" | "webhook";
}

/**
 * Headers for a correctly signed Credo AI delivery, signed by the reference `standardwebhooks`
 * package (never by our own verifier's code). Tests break exactly one thing in them.
 */
export function signCredo(
  body: string | Buffer,
  options: SignOptions = {},
): Record<string, string> {
  const prefix = options.prefix ?? "svix";
  const id = options.id ?? `msg_${Math.random().toString(36).slice(2, 14)}`;
  const timestamp = options.timestamp ?? new Date();
  const webhook = new Webhook(options.secret ?? TEST_CREDO_SECRET);
  // The package signs the UTF-8 encoding of a string, so only valid UTF-8 bodies can be signed here.
  const payload = Buffer.isBuffer(body) ? body.toString("utf8") : body;
  return {
    "content-type": "application/json",
    [`${prefix}-id`]: id,
    [`${prefix}-timestamp`]: String(Math.floor(timestamp.getTime() / 1000)),
    [`${prefix}-signature`]: webhook.sign(id, timestamp, payload),
  };
}

/** The reference package reads only `webhook-*` headers: renames Svix's, to verify with it. */
export function asWebhookHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.replace(/^svix-/, "webhook-"), value]),
  );
}
