/**
 * Group commit for an async database: what arrives while earlier batches are being committed is
 * written together by the next one. Each caller's promise settles with its own item's outcome, and
 * only once the batch holding it has committed.
 */
export interface Batcher<I, O> {
  run(item: I): Promise<O>;
}

export interface BatcherOptions<I> {
  /** Batches being committed at once; more arrivals wait and form the next batch. */
  maxInFlight: number;
  maxItems: number;
  /** A batch stops growing past this (large bodies); it always holds one item at least. */
  maxBytes: number;
  sizeOf: (item: I) => number;
}

/** One outcome per item, in order; a batch that throws fails every item of it. */
export type RunBatch<I, O> = (items: I[]) => Promise<PromiseSettledResult<O>[]>;

interface Queued<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export function createBatcher<I, O>(
  runBatch: RunBatch<I, O>,
  options: BatcherOptions<I>,
): Batcher<I, O> {
  let queue: Queued<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || queue.length === 0 || inFlight >= options.maxInFlight) return;
    scheduled = true;
    // After the I/O phase: every request whose body arrived in this turn joins the batch.
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    while (queue.length > 0 && inFlight < options.maxInFlight) {
      const batch = takeBatch();
      inFlight += 1;
      void commit(batch).finally(() => {
        inFlight -= 1;
        schedule();
      });
    }
  }

  function takeBatch(): Queued<I, O>[] {
    let bytes = 0;
    let count = 0;
    while (count < queue.length && count < options.maxItems) {
      bytes += options.sizeOf((queue[count] as Queued<I, O>).item);
      if (count > 0 && bytes > options.maxBytes) break;
      count += 1;
    }
    const batch = queue.slice(0, count);
    queue = queue.slice(count);
    return batch;
  }

  async function commit(batch: Queued<I, O>[]): Promise<void> {
    try {
      const outcomes = await runBatch(batch.map((queued) => queued.item));
      batch.forEach((queued, index) => {
        const outcome = outcomes[index];
        if (outcome?.status === "fulfilled") queued.resolve(outcome.value);
        else queued.reject(outcome ? outcome.reason : new Error("no outcome for this item"));
      });
    } catch (error) {
      for (const queued of batch) queued.reject(error);
    }
  }

  return {
    run(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}
