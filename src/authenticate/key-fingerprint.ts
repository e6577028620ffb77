import { createHash } from "node:crypto";

/**
 * Names a configured secret without revealing it: its position in the configured list and the first
 * 8 hex digits of its SHA-256. Enough to tell which secret matched during a rotation.
 */
export function keyFingerprint(position: number, secret: string | Buffer): string {
  const digest = createHash("sha256").update(secret).digest("hex");
  return `#${position + 1} (sha256:${digest.slice(0, 8)})`;
}
