import type { CapturiCasing, CapturiPayloadMode } from "../../payloads/generate-capturi-payload.ts";

/** A webhook as a customer configures it in Capturi's web app. */
export interface CapturiWebhookConfig {
  name: string;
  /** The call URL; may carry query parameters. */
  url: string;
  method: "POST" | "PUT" | "PATCH";
  /** Optional static headers, e.g. `Authorization: Bearer <token>`: Capturi's only authentication. */
  headers: Record<string, string>;
  mode: CapturiPayloadMode;
  casing: CapturiCasing;
  /** Event names this webhook sends; empty for all. */
  events: string[];
}
