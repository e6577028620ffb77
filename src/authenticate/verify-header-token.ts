import { createHash, timingSafeEqual } from "node:crypto";
import type { AuthOutcome, IncomingRequest } from "../sources/source.ts";
import { headerValue } from "./header-value.ts";
import { keyFingerprint } from "./key-fingerprint.ts";

export interface HeaderTokenOptions {
  /** Lower-case header name, e.g. `authorization` or `x-webhook-token`. */
  header: string;
  /** Accepted tokens; several at once while one is rotated. */
  tokens: readonly string[];
}

/**
 * Static header authentication, the only kind Capturi offers: the customer configures a header and
 * value in Capturi's web app. The value may carry a `Bearer ` prefix. Comparison is constant time
 * (both sides are hashed to equal length first, so not even the token's length leaks).
 */
export function createHeaderTokenVerifier(options: HeaderTokenOptions) {
  const tokens = options.tokens.map((token, position) => ({
    digest: sha256(token),
    label: keyFingerprint(position, token),
  }));

  return function verifyHeaderToken(request: IncomingRequest): AuthOutcome {
    const value = headerValue(request, options.header);
    if (value === undefined) {
      return {
        ok: false,
        status: 401,
        code: "missing_token",
        message: `Missing the ${options.header} header. Configure it under "Optional headers" of the webhook in Capturi.`,
      };
    }
    const presented = sha256(value.replace(/^Bearer\s+/i, "").trim());
    // Check every token, so that timing does not tell which position matched.
    const matches = tokens.filter((token) => timingSafeEqual(token.digest, presented));
    const match = matches[0];
    if (match)
      return { ok: true, method: "header-token", matchedKey: match.label, messageId: null };
    return {
      ok: false,
      status: 401,
      code: "invalid_token",
      message: `The ${options.header} header does not hold an accepted token. Check CAPTURI_TOKENS against the webhook's headers in Capturi.`,
    };
  };
}

function sha256(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
