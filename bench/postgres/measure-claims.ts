import type { NewDelivery } from "../../src/inbox/inbox.ts";
import type { Stores } from "../../src/inbox/stores.ts";

export interface ClaimFigures {
  workers: number;
  /** Deliveries claimed and finished per second, all workers together. */
  perSecond: number;
}

const LEASE_MS = 60_000;

/**
 * Claims + finishes per second with 1, 2 and 4 workers, each on its own connection (as separate
 * instances would be) draining the same backlog of `backlog` pending deliveries. Between runs a
 * replay puts the backlog back, so every run drains the same rows.
 */
export async function measureClaims(
  open: () => Promise<Stores>,
  backlog: number,
  workerCounts: readonly number[] = [1, 2, 4],
): Promise<ClaimFigures[]> {
  const seeder = await open();
  const opened: Stores[] = [seeder];
  try {
    await seed(seeder, backlog);
    const figures: ClaimFigures[] = [];
    for (const workers of workerCounts) {
      while (opened.length < workers) opened.push(await open());
      const started = performance.now();
      const drained = await Promise.all(
        opened.slice(0, workers).map((stores, i) => drain(stores, `bench-${i}`)),
      );
      const seconds = (performance.now() - started) / 1000;
      figures.push({ workers, perSecond: drained.reduce((a, b) => a + b, 0) / seconds });
      await seeder.inspect.replayMatching({}, new Date());
    }
    return figures;
  } finally {
    await Promise.all(opened.map((stores) => stores.close()));
  }
}

async function drain(stores: Stores, worker: string): Promise<number> {
  let done = 0;
  for (;;) {
    const claim = await stores.queue.claimNext(worker, LEASE_MS, new Date(), 8);
    if (!claim) return done;
    await stores.queue.finish(claim, { kind: "succeeded" }, new Date());
    done += 1;
  }
}

async function seed(stores: Stores, count: number): Promise<void> {
  const chunk = 250;
  for (let start = 0; start < count; start += chunk) {
    await Promise.all(
      Array.from({ length: Math.min(chunk, count - start) }, () =>
        stores.inbox.recordDelivery(pendingDelivery()),
      ),
    );
  }
}

function pendingDelivery(): NewDelivery {
  return {
    source: "capturi",
    method: "POST",
    path: "/webhooks/capturi",
    headers: { "content-type": "application/json" },
    body: Buffer.from(
      JSON.stringify({ event: "ConversationSummaryUpdated", uid: crypto.randomUUID() }),
    ),
    receivedAt: new Date(),
    authMethod: "header-token",
    authKey: "#1 bench",
    status: "pending",
    eventType: "ConversationSummaryUpdated",
    idempotencyKey: crypto.randomUUID(),
    payloadMode: "uid",
    entityUid: crypto.randomUUID(),
    issues: null,
  };
}
