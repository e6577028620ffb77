import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { StoreBusyError } from "../inspect-store.ts";

/** Tries of one write; each waits up to the connection's busy_timeout (5 s) inside SQLite. */
const MAX_TRIES = 6;
const PAUSE_BETWEEN_TRIES_MS = 250;

/**
 * Runs one short write transaction, trying again while another connection holds the write lock
 * (a receiver committing deliveries, a CLI replaying): SQLITE_BUSY past busy_timeout is a
 * crowded database, not a bug. Gives up with a `StoreBusyError` that says what to do.
 */
export async function retryWhileBusy<T>(
  write: () => T,
  options: { tries?: number; pauseMs?: number } = {},
): Promise<T> {
  const maxTries = options.tries ?? MAX_TRIES;
  for (let tries = 1; ; tries += 1) {
    try {
      return write();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (tries >= maxTries) {
        throw new StoreBusyError(
          `The inbox database stayed locked by another writer through ${maxTries} tries; what was done before that is committed. Try again when it is less busy.`,
          { cause: error },
        );
      }
      await sleep((options.pauseMs ?? PAUSE_BETWEEN_TRIES_MS) * tries);
    }
  }
}

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith("SQLITE_BUSY");
}
