import type { ParseIssue } from "../sources/source.ts";
import type { StoredDelivery } from "./inbox.ts";

/**
 * The worker's side of the inbox: leases, attempts and their outcomes. `now` is the caller's
 * clock; a store that several machines share (PostgreSQL) times leases with its own clock instead,
 * so that clock skew between machines cannot expire a live lease, and reads `retryAt` relative to
 * the caller's `now`.
 */
export interface WorkQueue {
  /**
   * Leases the next runnable delivery (pending and due, or processing under an expired lease, i.e.
   * claimed by a worker that died) and opens an attempt for it. Atomic: two workers, even in two
   * processes, never hold the same delivery. A delivery whose lease expired after it had used
   * `maxAttempts` is marked dead instead: a handler that kills its process must not crash-loop.
   */
  claimNext(
    worker: string,
    leaseMs: number,
    now: Date,
    maxAttempts: number,
  ): Promise<Claim | undefined>;
  /** Extends a lease that is still ours; false when it was lost (expired and claimed by another). */
  renewLease(claim: Claim, leaseMs: number, now: Date): Promise<boolean>;
  /** Closes the attempt and moves the delivery on, if the lease is still ours. */
  finish(claim: Claim, outcome: AttemptOutcome, now: Date): Promise<void>;
  /** Gives a delivery back unfinished (shutdown deadline): it runs again after the next start. */
  release(claim: Claim, reason: string, now: Date): Promise<void>;
  /** When the earliest waiting retry is due, so that an idle worker knows how long to sleep. */
  nextDueAt(): Promise<Date | undefined>;
  /**
   * How long the longest-waiting due delivery has been due (since receipt, its retry time or its
   * replay), 0 when none waits: `/metrics`. One index read, cheap at any backlog.
   */
  oldestDueAgeMs(now: Date): Promise<number>;
  /**
   * Calls `listener` soon after new runnable work is committed (a delivery stored, a replay), so
   * that an idle worker starts at once instead of at its next poll. Best effort: the worker still
   * polls. Returns the function that unsubscribes.
   */
  onNewWork(listener: () => void): () => void;
}

export interface Claim {
  delivery: StoredDelivery;
  worker: string;
  /** Names this claim in the lease; only its holder may renew or settle it. */
  leaseOwner: string;
  attemptId: number;
  /** 1 for the first attempt; counts on across replays. */
  attemptNumber: number;
  /** Attempts used since the delivery was received or last replayed, this one included. */
  attemptsThisRun: number;
  trigger: "receipt" | "retry" | "replay";
}

export type AttemptOutcome =
  | { kind: "succeeded" }
  /** `retryAt` null: no attempts left, the delivery is dead. */
  | { kind: "failed"; error: string; retryAt: Date | null }
  /** Parsing it again today says it cannot run (e.g. replayed after a schema change). */
  | {
      kind: "skipped";
      status: "unhandled" | "invalid";
      eventType: string | null;
      issues: ParseIssue[] | null;
      reason: string;
    };
