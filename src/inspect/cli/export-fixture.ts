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

export function defaultFixturePath(delivery: StoredDelivery): string {
  const event = (delivery.eventType ?? "unknown").replace(/[^A-Za-z0-9_-]+/g, "-");
  return `test/fixtures/exported/${delivery.source}.${event}.${delivery.id}.json`;
}

/** How to turn the file into a regression test, printed after the export. */
export function fixtureHint(file: string, fixture: DeliveryFixture): string {
  const name = file.replace(/^test\/fixtures\//, "./");
  const send =
    fixture.source === "credo"
      ? `const body = JSON.stringify(delivery.body);
  const res = await receiver.request.post("/webhooks/credo").set(signCredo(body)).send(body);`
      : `const res = await receiver.request.post("/webhooks/capturi")
    .set({ "content-type": "application/json", authorization: \`Bearer \${TEST_CAPTURI_TOKEN}\` })
    .send(JSON.stringify(delivery.body));`;
  return `Use it in a test (test/…/*.test.ts), e.g.:

  import delivery from "../fixtures/${name.replace(/^\.\//, "")}" with { type: "json" };

  it("handles delivery ${fixture.eventType ?? ""} as it arrived", async () => {
  ${send}
    expect(res.status).toBe(200);
  });`;
}
