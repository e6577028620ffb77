import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signCredoDelivery } from "../../../tools/payloads/sign-credo-delivery.ts";
import { TEST_CREDO_SECRET } from "../../helpers/create-test-receiver.ts";
import { asWebhookHeaders } from "../../helpers/sign-credo.ts";

describe("signCredoDelivery", () => {
  it("produces svix-* headers that standardwebhooks' Webhook#verify accepts", () => {
    const body = JSON.stringify({ type: "CredoAI.use_case_name_updated.v1" });
    const headers = signCredoDelivery({ secret: TEST_CREDO_SECRET, messageId: "msg_abc", body });

    expect(Object.keys(headers)).toEqual(["svix-id", "svix-timestamp", "svix-signature"]);
    expect(new Webhook(TEST_CREDO_SECRET).verify(body, asWebhookHeaders(headers))).toEqual(
      JSON.parse(body),
    );
  });
});
