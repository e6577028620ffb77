import { describe, expect, it } from "vitest";
import type {
  NewWebhookAttributes,
  Webhook,
  WebhookAttributes,
} from "../../../tools/credo-api/create-credo-client.ts";
import { planSync } from "../../../tools/sender/subscriptions/plan-sync.ts";
import { parseManifest } from "../../../tools/sender/subscriptions/subscription-manifest.ts";

const wanted: NewWebhookAttributes = {
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

  it("updates a changed URL in place, sending only what changed: never the nulls the API returns", () => {
    const current = webhook("a", {
      ...wanted,
      url: "https://old.example.com/webhooks/credo",
      bucket: null,
      authentication_server: null,
      authentication_payload_type: null,
    });
    const plan = planSync([{ ...wanted, event_type_suffix: "v1" }], [current]);

    expect(plan.update).toEqual([
      {
        id: current.id,
        description: wanted.description,
        changes: { url: wanted.url, event_type_suffix: "v1" },
      },
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
    expect(withVar).toEqual({ ok: true, value: [wanted], warnings: [] });
    const withDefault = parseManifest(manifest, {});
    expect(withDefault.ok && withDefault.value[0]?.url).toBe(
      "http://localhost:3000/webhooks/credo",
    );
  });

  it("names a missing variable and rejects duplicate descriptions", () => {
    const missing = parseManifest(
      { subscriptions: [{ ...wanted, url: withVariable("PUBLIC_BASE_URL", "/x") }] },
      {},
    );
    expect(missing.ok === false && missing.error).toContain("set PUBLIC_BASE_URL");

    const duplicate = parseManifest({ subscriptions: [wanted, wanted] }, {});
    expect(duplicate.ok === false && duplicate.error).toContain("unique");
  });

  it("takes event types this kit does not know, with a warning that points out a near miss", () => {
    const result = parseManifest(
      {
        subscriptions: [
          {
            ...wanted,
            event_types: ["use_case_review_status_update", "use_case_risk_tier_updated"],
          },
        ],
      },
      {},
    );
    expect(result.ok && result.value[0]?.event_types).toEqual([
      "use_case_review_status_update",
      "use_case_risk_tier_updated",
    ]);
    expect(result.ok && result.warnings).toEqual([
      expect.stringMatching(
        /^warning: use_case_review_status_update is not one of the 15 .* Did you mean use_case_review_status_updated\?$/,
      ),
      expect.stringMatching(/^warning: use_case_risk_tier_updated is not one of the 15 /),
    ]);
  });

  it("requires the server, payload and payload type of an o_auth subscription", () => {
    const result = parseManifest(
      {
        subscriptions: [
          {
            ...wanted,
            authentication_method: "o_auth",
            authentication_server: "https://auth.example.com/token",
          },
        ],
      },
      {},
    );
    expect(result.ok).toBe(false);
    const error = result.ok ? "" : result.error;
    expect(error).toContain("authentication_payload");
    expect(error).toContain("authentication_payload_type");
    expect(error).not.toMatch(/authentication_server\b/);
  });

  it("refuses null for an optional attribute: the API types them as strings", () => {
    const result = parseManifest({ subscriptions: [{ ...wanted, bucket: null }] }, {});
    expect(result.ok === false && result.error).toContain("bucket");
  });
});
