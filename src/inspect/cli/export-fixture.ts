import type { StoredDelivery } from "../../inbox/inbox.ts";
import { stripSecretHeaders, stripSecrets } from "./strip-secrets.ts";

/** What `events export` writes: one delivery, safe to commit, ready to be sent again in a test. */
export interface DeliveryFixture {
  source: string;
  eventType: string | null;
  method: string;
  receivedAt: string;
  /** Stored headers (already redacted) without signatures or anything that looks like a credential. */
  headers: Record<string, string>;
  body: unknown;
}

export type FixtureResult = { ok: true; fixture: DeliveryFixture } | { ok: false; error: string };

/**
 * Deeper bodies make no fixture: a test's `JSON.stringify(delivery.body)` (and the export's own)
 * recurses once per level and overflows the stack at a few thousand. Real payloads nest about ten.
 */
export const MAX_FIXTURE_DEPTH = 1_000;

export function toDeliveryFixture(delivery: StoredDelivery): FixtureResult {
  let body: unknown;
  try {
    body = JSON.parse(delivery.body.toString("utf8"));
  } catch {
    return {
      ok: false,
      error: `Delivery ${delivery.id} is malformed: its body is not JSON, so it makes no fixture.`,
    };
  }
  if (exceedsDepth(body, MAX_FIXTURE_DEPTH)) {
    return {
      ok: false,
      error: `Delivery ${delivery.id}'s body nests more than ${MAX_FIXTURE_DEPTH} levels deep, too deep for a fixture a test can send again. \`npm run events -- show ${delivery.id} --json\` prints it as stored.`,
    };
  }
  return {
    ok: true,
    fixture: {
      source: delivery.source,
      eventType: delivery.eventType,
      method: delivery.method,
      receivedAt: delivery.receivedAt.toISOString(),
      headers: stripSecretHeaders(delivery.headers),
      body: stripSecrets(body),
    },
  };
}

/** Whether JSON data nests deeper than `limit`, found without recursion (the data may be hostile). */
function exceedsDepth(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== "object" || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const inner of Object.values(next.value))
      pending.push({ value: inner, depth: next.depth + 1 });
  }
  return false;
}

export function defaultFixturePath(delivery: StoredDelivery): string {
  const event = (delivery.eventType ?? "unknown").replace(/[^A-Za-z0-9_-]+/g, "-");
  return `test/fixtures/exported/${delivery.source}.${event}.${delivery.id}.json`;
}
