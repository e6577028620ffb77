import { CliError } from "../../../src/cli/cli-error.ts";
import {
  missingOAuthAttributes,
  type OAuthAttribute,
} from "../../credo-api/missing-o-auth-attributes.ts";

const OPTION: Record<OAuthAttribute, string> = {
  authentication_server: "--auth-server",
  authentication_payload: "--auth-payload",
  authentication_payload_type: "--auth-payload-type",
};

/**
 * Refuses, before the API is called, a webhook that would use `o_auth` without the three
 * attributes Credo AI's guide requires with it. `subject` names it: "The webhook", "Webhook <id>".
 */
export function requireOAuthOptions(
  subject: string,
  attributes: Parameters<typeof missingOAuthAttributes>[0],
): void {
  const missing = missingOAuthAttributes(attributes);
  if (missing.length === 0) return;
  throw new CliError(
    `${subject} would use --auth-method o_auth without ${missing.map((name) => OPTION[name]).join(", ")}: Credo AI requires --auth-server, --auth-payload and --auth-payload-type with o_auth.`,
  );
}
