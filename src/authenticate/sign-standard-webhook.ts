import { createHmac } from "node:crypto";
import { decodeSecret } from "./verify-standard-webhook.ts";

/**
 * `v1,<base64>`: the Standard Webhooks signature of a message, HMAC-SHA256 over
 * `${id}.${timestamp}.` and the exact bytes of the body (the `standardwebhooks` package signs a
 * string, so it cannot sign a body that is not valid UTF-8 byte for byte).
 */
export function signStandardWebhook(
  secret: string,
  message: { id: string; timestampSeconds: number; body: Buffer },
): string {
  const signature = createHmac("sha256", decodeSecret(secret))
    .update(`${message.id}.${message.timestampSeconds}.`)
    .update(message.body)
    .digest("base64");
  return `v1,${signature}`;
}
