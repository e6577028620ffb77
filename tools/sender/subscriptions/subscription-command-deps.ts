import type { CredoClient } from "../../credo-api/create-credo-client.ts";

/** What each `subscriptions` subcommand needs. */
export interface SubscriptionCommandDeps {
  /** Builds the client when a command runs, so that `--help` needs no CREDO_* variables. */
  client: () => CredoClient;
  out: (line: string) => void;
  /** Warnings, e.g. about an event type this kit does not know. */
  err: (line: string) => void;
}
