import { Webhook } from "standardwebhooks";

export interface SignCredoDeliveryOptions {
  /** The receiver's `whsec_…` secret. */
  secret: string;
  /** `msg_…`: the same on every retry of one message. */
  messageId: string;
  /** The exact bytes that will be sent. */
  body: string;
  /** Per attempt. Defaults to now. */
  timestamp?: Date;
  /** Svix sends `svix-*`; white-labelled accounts send `webhook-*`. */
  headerPrefix?: "svix" | "webhook";
}

/**
 * The signature headers of one Svix delivery attempt, made by the reference `standardwebhooks`
 * package: HMAC-SHA256 over `${id}.${timestamp}.${body}`.
 */
export function signCredoDelivery(options: SignCredoDeliveryOptions): Record<string, string> {
  const prefix = options.headerPrefix ?? "svix";
  const timestamp = options.timestamp ?? new Date();
  const signature = new Webhook(options.secret).sign(options.messageId, timestamp, options.body);
  return {
    [`${prefix}-id`]: options.messageId,
    [`${prefix}-timestamp`]: String(Math.floor(timestamp.getTime() / 1000)),
    [`${prefix}-signature`]: signature,
  };
}
