import type { DeliveryStatus, NewDelivery } from "../../../src/inbox/inbox.ts";
import type { Stores } from "../../../src/inbox/stores.ts";

export interface SeedDelivery {
  source?: string;
  eventType?: string | null;
  status?: DeliveryStatus;
  receivedAt?: Date;
  idempotencyKey?: string | null;
  entityUid?: string | null;
  body?: string;
  headers?: Record<string, string>;
  authMethod?: NewDelivery["authMethod"];
  issues?: NewDelivery["issues"];
}

const HOUR_MS = 3_600_000;
const WORKER = "seed";

/**
 * Stores deliveries in the given statuses through the interfaces alone, so that one seed works on
 * every implementation: recorded as the receiver would, then (for done, dead, processing and
 * pending) claimed and settled. Ids follow the order of `deliveries`. A `done` or `dead` delivery
 * has one attempt; a `pending` one has one failed attempt and waits an hour for its retry.
 */
export async function seedDeliveries(
  stores: Stores,
  deliveries: readonly SeedDelivery[],
): Promise<number[]> {
  const ids: number[] = [];
  const targets = new Map<number, DeliveryStatus>();
  for (const [index, seed] of deliveries.entries()) {
    const target = seed.status ?? "done";
    const runs = ["pending", "processing", "done", "dead"].includes(target);
    const recorded = await stores.inbox.recordDelivery(toNewDelivery(seed, index, runs));
    ids.push(recorded.id);
    if (runs) targets.set(recorded.id, target);
  }
  for (let left = targets.size; left > 0; left -= 1) {
    const now = new Date();
    const claim = await stores.queue.claimNext(WORKER, HOUR_MS, now, 100);
    if (!claim) throw new Error("seed: a recorded delivery could not be claimed");
    const target = targets.get(claim.delivery.id);
    if (target === "done") await stores.queue.finish(claim, { kind: "succeeded" }, now);
    if (target === "dead") {
      await stores.queue.finish(claim, { kind: "failed", error: "seeded", retryAt: null }, now);
    }
    if (target === "pending") {
      const retryAt = new Date(now.getTime() + HOUR_MS);
      await stores.queue.finish(claim, { kind: "failed", error: "seeded", retryAt }, now);
    }
  }
  return ids;
}

function toNewDelivery(seed: SeedDelivery, index: number, runs: boolean): NewDelivery {
  const source = seed.source ?? "capturi";
  const status = runs ? "pending" : (seed.status as NewDelivery["status"]);
  return {
    source,
    method: "POST",
    path: `/webhooks/${source}`,
    headers: seed.headers ?? { "content-type": "application/json" },
    body: Buffer.from(seed.body ?? JSON.stringify({ event: "ConversationProcessed", uid: "x" })),
    receivedAt: seed.receivedAt ?? new Date(),
    authMethod: seed.authMethod ?? "header-token",
    authKey: "#1 abcd1234",
    status,
    eventType: seed.eventType === undefined ? "ConversationProcessed" : seed.eventType,
    idempotencyKey:
      seed.idempotencyKey === undefined ? `key-${index}-${Math.random()}` : seed.idempotencyKey,
    payloadMode: "uid",
    entityUid: seed.entityUid === undefined ? `uid-${index}` : seed.entityUid,
    issues: seed.issues ?? null,
  };
}

/** A delivery as the receiver records it; `overrides` change what a test is about. */
export function newDelivery(overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    source: "capturi",
    method: "POST",
    path: "/webhooks/capturi",
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify({ event: "ConversationSummaryUpdated", uid: "u" })),
    receivedAt: new Date(),
    authMethod: "header-token",
    authKey: "#1 abcd1234",
    status: "pending",
    eventType: "ConversationSummaryUpdated",
    idempotencyKey: `evt-${crypto.randomUUID()}`,
    payloadMode: "uid",
    entityUid: crypto.randomUUID(),
    issues: null,
    ...overrides,
  };
}

/**
 * Many deliveries at once, as a burst of senders would store them (`recordDelivery` concurrently,
 * so group commit batches them), in a status that needs no worker.
 */
export async function seedMany(
  stores: Stores,
  count: number,
  seed: SeedDelivery & { status?: "unhandled" | "invalid" } = {},
): Promise<number[]> {
  const recorded = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      stores.inbox.recordDelivery(toNewDelivery({ status: "unhandled", ...seed }, index, false)),
    ),
  );
  return recorded.map((result) => result.id).sort((a, b) => a - b);
}
