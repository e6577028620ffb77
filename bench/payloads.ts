import { createHmac, randomUUID } from "node:crypto";
import { capturiFixtures, credoFixtures } from "../test/fixtures/index.ts";

/** A key that each request replaces with a fresh UUID of the same length, so sizes stay exact. */
const UID_PLACEHOLDER = "00000000-0000-4000-8000-000000000000";

/** JSON `base` with a `padding` member that brings the UTF-8 body to exactly `bytes`. */
export function padJson(base: Record<string, unknown>, bytes: number): string {
  const empty = JSON.stringify({ ...base, padding: "" });
  const missing = bytes - Buffer.byteLength(empty);
  if (missing < 0) throw new Error(`the payload is already ${Buffer.byteLength(empty)} bytes`);
  // Realistic text rather than one repeated byte, so that nothing compresses it away.
  const text = "Kunden ønsker et tilbud på 25 erhvervsabonnementer. ".repeat(
    Math.ceil(missing / 40),
  );
  let padding = text.slice(0, missing);
  while (Buffer.byteLength(padding) > missing) padding = padding.slice(0, -1);
  return JSON.stringify({ ...base, padding: padding.padEnd(missing, ".") });
}

/**
 * A Capturi body of `bytes`: the Uid fixture for small sizes, the Full one when it fits, each
 * request with a fresh `eventUid` (the idempotency key), so every request takes the insert path.
 */
export function capturiBody(bytes: number): { template: string; fresh: () => string } {
  const full = capturiFixtures.conversationProcessedFull;
  const base =
    JSON.stringify(full).length + 100 < bytes ? full : capturiFixtures.conversationProcessedUid;
  const template = padJson({ ...base, eventUid: UID_PLACEHOLDER }, bytes);
  return { template, fresh: () => template.replace(UID_PLACEHOLDER, randomUUID()) };
}

/** A Credo AI body of `bytes`; the idempotency key is the svix-id header, so the body is shared. */
export function credoBody(bytes: number): string {
  return padJson({ ...credoFixtures.use_case_name_updated }, bytes);
}

/**
 * Fresh Standard Webhooks headers for `body`: a new svix-id each time, so that the receiver stores
 * every request instead of answering the duplicate path. Signed with node:crypto here to keep the
 * load generator light; the tests sign with the `standardwebhooks` package.
 */
export function signFresh(secret: string, body: string): Record<string, string> {
  const id = `msg_${randomUUID()}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": `v1,${signature}`,
  };
}
