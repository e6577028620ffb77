import { CliError } from "../../../src/cli/cli-error.ts";
import type { CredoClient } from "../../credo-api/create-credo-client.ts";
import { CredoApiError } from "../../credo-api/credo-api-error.ts";

/**
 * The same client, except that the API's refusals (a `CredoApiError`: wrong token or tenant, an
 * unknown id, invalid attributes) reject as `CliError`s with the API's own titles, for the user to
 * fix. Anything else is left to show its stack.
 */
export function refusalsAsCliErrors(client: CredoClient): CredoClient {
  const refused = (error: unknown): never => {
    throw error instanceof CredoApiError ? new CliError(error.message, { cause: error }) : error;
  };
  return {
    listWebhooks: () => client.listWebhooks().catch(refused),
    getWebhook: (id) => client.getWebhook(id).catch(refused),
    createWebhook: (attributes) => client.createWebhook(attributes).catch(refused),
    updateWebhook: (id, attributes) => client.updateWebhook(id, attributes).catch(refused),
    deleteWebhook: (id) => client.deleteWebhook(id).catch(refused),
  };
}
