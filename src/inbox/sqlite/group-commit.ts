import type { Db } from "./open-database.ts";

/**
 * Runs writes in shared transactions: everything queued during one turn of the event loop is
 * committed together, with one fsync, and each promise settles only after that COMMIT. Under load
 * this turns N commits (N fsyncs with synchronous=FULL) into one, without weakening what a
 * resolved promise means: the write is on disk.
 */
export interface GroupCommit {
  run<T>(write: () => T): Promise<T>;
}

interface Queued {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function createGroupCommit(
  db: Db,
  observers: { commitBatchSize?: (size: number) => void } = {},
): GroupCommit {
  let queue: Queued[] = [];
  // Nested inside the batch's transaction this is a SAVEPOINT: a write that throws is undone alone.
  const runOne = db.transaction((write: () => unknown) => write());
  const runBatch = db.transaction((batch: Queued[]) =>
    batch.map((item): Outcome => {
      try {
        return { ok: true, value: runOne(item.write) };
      } catch (error) {
        // Some errors (disk full, I/O) end the whole transaction: then nothing of the batch is
        // committed, so every promise must fail, not only this one.
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );

  function flush(): void {
    const batch = queue;
    queue = [];
    observers.commitBatchSize?.(batch.length);
    let outcomes: Outcome[];
    try {
      outcomes = runBatch(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }

  return {
    run<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
        // After the I/O phase: every request whose body arrived in this turn joins the batch.
        if (queue.length === 1) setImmediate(flush);
      });
    },
  };
}
