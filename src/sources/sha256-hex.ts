import { createHash } from "node:crypto";

/** Hex SHA-256 of the exact bytes: the idempotency key of payloads that carry no id of their own. */
export function sha256Hex(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
