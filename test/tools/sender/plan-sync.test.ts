import { describe, expect, it } from "vitest";
import type { Webhook, WebhookAttributes } from "../../../tools/credo-api/create-credo-client.ts";
import { planSync } from "../../../tools/sender/subscriptions/plan-sync.ts";
import { parseManifest } from "../../../tools/sender/subscriptions/subscription-manifest.ts";

const wanted: WebhookAttributes = {
  description: "webhook-inbox",
  url: "https://inbox.example.com/webhooks/credo",
  event_types: ["use_case_name_updated", "use_case_review_comment"],
  authentication_method: "none",
};

function webhook(id: string, attributes: WebhookAttributes): Webhook {
  return { id: id.padEnd(22, "x"), type: "webhook", attributes };
}

describe("planSync", () => {
  it("creates what the API lacks", () => {
    expect(planSync([wanted], [])).toEqual({
      create: [wanted],
      update: [],
      unchanged: [],
      extra: [],
    });
  });

  it("matches by description and ignores the order of event types and attributes the manifest leaves out", () => {
    const current = webhook("a", {
      ...wanted,
      event_types: ["use_case_review_comment", "use_case_name_updated"],
      environment: "prod",
    });
    expect(planSync([wanted], [current])).toEqual({
      create: [],
      update: [],
      unchanged: [current],
      extra: [],
    });
  });

  it("updates a changed URL in place, keeping the attributes it does not manage", () => {
    const current = webhook("a", {
      ...wanted,
      url: "https://old.example.com/webhooks/credo",
      bucket: "b1",
    });
    const plan = planSync([wanted], [current]);

    expect(plan.update).toEqual([
      { id: current.id, attributes: { ...wanted, bucket: "b1" }, changes: ["url"] },
    ]);
  });

  it("reports webhooks the manifest does not name as extra", () => {
    const other = webhook("b", { ...wanted, description: "someone else's" });
    expect(planSync([wanted], [other])).toMatchObject({ create: [wanted], extra: [other] });
  });
});

// The manifest's own `${VAR}` syntax, not a forgotten template string.
const withVariable = (name: string, rest = "") => `\${${name}}${rest}`;

describe("parseManifest", () => {
  const manifest = {
    subscriptions: [
      { ...wanted, url: withVariable("PUBLIC_BASE_URL:-http://localhost:3000", "/webhooks/credo") },
    ],
  };

  it("expands variables with and without a default, and defaults authentication_method to none", () => {
    const withVar = parseManifest(manifest, { PUBLIC_BASE_URL: "https://inbox.example.com" });
    expect(withVar).toEqual({ ok: true, value: [wanted] });
    const withDefault = parseManifest(manifest, {});
    expect(withDefault.ok && withDefault.value[0]?.url).toBe(
      "http://localhost:3000/webhooks/credo",
    );
  });

  it("names a missing variable and rejects unknown event types and duplicate descriptions", () => {
    const missing = parseManifest(
      { subscriptions: [{ ...wanted, url: withVariable("PUBLIC_BASE_URL", "/x") }] },
      {},
    );
    expect(missing.ok === false && missing.error).toContain("set PUBLIC_BASE_URL");

    const badEvent = parseManifest(
      { subscriptions: [{ ...wanted, event_types: ["use_case_review_status_update"] }] },
      {},
    );
    expect(badEvent.ok === false && badEvent.error).toContain("event_types");

    const duplicate = parseManifest({ subscriptions: [wanted, wanted] }, {});
    expect(duplicate.ok === false && duplicate.error).toContain("unique");
  });
});
