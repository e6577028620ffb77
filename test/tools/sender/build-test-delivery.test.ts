import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  buildCredoDelivery,
  STALE_TIMESTAMP_SECONDS,
} from "../../../tools/sender/build-test-delivery.ts";
import { TEST_CREDO_SECRET } from "../../helpers/create-test-receiver.ts";
import { asWebhookHeaders } from "../../helpers/sign-credo.ts";

describe("buildCredoDelivery", () => {
  const base = {
    target: "http://localhost:3000/",
    event: "use_case_review_comment",
    secret: TEST_CREDO_SECRET,
  };

  it("signs the exact body it sends, under the given message id", () => {
    const delivery = buildCredoDelivery({ ...base, messageId: "msg_fixed" });

    expect(delivery.url).toBe("http://localhost:3000/webhooks/credo");
    expect(delivery.headers["svix-id"]).toBe("msg_fixed");
    expect(() =>
      new Webhook(TEST_CREDO_SECRET).verify(delivery.body, asWebhookHeaders(delivery.headers)),
    ).not.toThrow();
  });

  it("--bad-signature signs with another secret", () => {
    const delivery = buildCredoDelivery({ ...base, badSignature: true });
    expect(() =>
      new Webhook(TEST_CREDO_SECRET).verify(delivery.body, asWebhookHeaders(delivery.headers)),
    ).toThrow("No matching signature found");
  });

  it("--stale-timestamp signs as of ten minutes ago", () => {
    const now = new Date("2025-08-07T06:00:00Z");
    const delivery = buildCredoDelivery({ ...base, staleTimestamp: true, now });
    expect(Number(delivery.headers["svix-timestamp"])).toBe(
      now.getTime() / 1000 - STALE_TIMESTAMP_SECONDS,
    );
  });
});
