import { createHmac, timingSafeEqual } from "node:crypto";
import type { AuthOutcome, IncomingRequest } from "../sources/source.ts";
import { keyFingerprint } from "./key-fingerprint.ts";
import { findSignatureHeaders } from "./signature-headers.ts";

export interface StandardWebhookOptions {
  /** `whsec_<base64>` secrets; any one of them may have signed a delivery (rotation). */
  secrets: readonly string[];
  /** Reject timestamps further than this from now, in either direction (replay protection). */
  toleranceSeconds: number;
}

const SIGNATURE_BYTES = 32;

/**
 * Verifies a Standard Webhooks signature (https://www.standardwebhooks.com/) over the exact bytes
 * received. Unlike the `standardwebhooks` package it reads both header families, accepts several
 * secrets and a configurable tolerance, and hashes with node:crypto (much faster on large bodies).
 */
export function createStandardWebhookVerifier(options: StandardWebhookOptions) {
  const keys = options.secrets.map((secret, position) => ({
    key: decodeSecret(secret),
    label: keyFingerprint(position, secret),
  }));

  return function verifyStandardWebhook(request: IncomingRequest, now: Date): AuthOutcome {
    const found = findSignatureHeaders(request);
    if (!found.ok) {
      return fail(
        400,
        "missing_signature_headers",
        `Missing ${found.missing.join(", ")}. Standard Webhooks deliveries carry svix-id, svix-timestamp and svix-signature (or the webhook-* equivalents).`,
      );
    }
    const { id, timestamp, signatures, prefix } = found.headers;

    if (!/^\d{1,15}$/.test(timestamp)) {
      return fail(401, "timestamp_invalid", `${prefix}-timestamp must be whole Unix seconds.`);
    }
    // Milliseconds against seconds, unrounded: a tolerance of 300 s refuses 300.5 s either way.
    const skewMs = now.getTime() - Number(timestamp) * 1000;
    if (Math.abs(skewMs) > options.toleranceSeconds * 1000) {
      const direction = skewMs > 0 ? "old" : "in the future";
      const seconds = Math.floor(Math.abs(skewMs) / 100) / 10;
      return fail(
        401,
        "timestamp_outside_tolerance",
        `${prefix}-timestamp is ${seconds} s ${direction}; the tolerance is ±${options.toleranceSeconds} s. Check the sender's clock, or whether this is a stale replay.`,
      );
    }

    const candidates = parseSignatures(signatures);
    if (candidates.length === 0) {
      return fail(401, "signature_malformed", `${prefix}-signature holds no "v1,<base64>" entry.`);
    }
    for (const { key, label } of keys) {
      const expected = createHmac("sha256", key)
        .update(`${id}.${timestamp}.`)
        .update(request.rawBody)
        .digest();
      if (candidates.some((candidate) => timingSafeEqual(candidate, expected))) {
        return { ok: true, method: "standard-webhooks", matchedKey: label, messageId: id };
      }
    }
    return fail(
      401,
      "signature_mismatch",
      `None of the ${candidates.length} signature(s) matched any of the ${keys.length} configured secret(s). Check CREDO_WEBHOOK_SECRETS, and that nothing between the sender and this service changes the body.`,
    );
  };
}

/** `v1,<base64> v1,<base64>`: one entry per secret the sender signs with; other versions are skipped. */
function parseSignatures(header: string): Buffer[] {
  const signatures: Buffer[] = [];
  for (const entry of header.split(" ")) {
    if (!entry.startsWith("v1,")) continue;
    const end = entry.indexOf(",", 3);
    const signature = Buffer.from(entry.slice(3, end === -1 ? undefined : end), "base64");
    if (signature.length === SIGNATURE_BYTES) signatures.push(signature);
  }
  return signatures;
}

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional). */
export function decodeSecret(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret,
    "base64",
  );
}

function fail(
  status: 400 | 401,
  code: string,
  message: string,
): Extract<AuthOutcome, { ok: false }> {
  return { ok: false, status, code, message };
}
