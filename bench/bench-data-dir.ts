import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";

const DATA_ROOT = path.resolve(import.meta.dirname, "../data");

/**
 * A fresh directory under the project's `data/` (created if a fresh clone has none yet): on the
 * project's disk, not /tmp, since a tmpfs would make fsync free and the figures meaningless.
 */
export function benchDataDir(prefix: string): string {
  mkdirSync(DATA_ROOT, { recursive: true });
  return mkdtempSync(path.join(DATA_ROOT, prefix));
}
