import type { Command } from "commander";
import { CliError } from "../../../src/cli/cli-error.ts";
import { type CliOutput, createCliProgram } from "../../../src/cli/create-cli-program.ts";
import { runCli } from "../../../src/cli/run-cli.ts";
import { type CredoClient, createCredoClient } from "../../credo-api/create-credo-client.ts";
import { fetchFailuresAsCliErrors } from "../fetch-failures-as-cli-errors.ts";
import { addCreateCommand } from "./add-create-command.ts";
import { addDeleteCommand } from "./add-delete-command.ts";
import { addListCommand } from "./add-list-command.ts";
import { addSyncCommand } from "./add-sync-command.ts";
import { addUpdateCommand } from "./add-update-command.ts";
import { readCredoApiConfig } from "./read-credo-api-config.ts";
import { refusalsAsCliErrors } from "./refusals-as-cli-errors.ts";

export interface SubscriptionsCliDeps extends CliOutput {
  env: Record<string, string | undefined>;
  /** Relative paths (the manifest) resolve against it. */
  cwd: string;
  fetch?: typeof globalThis.fetch;
}

/** `npm run subscriptions -- <command>`. Resolves with the exit code: non-zero on any failure. */
export function runSubscriptionsCli(
  argv: readonly string[],
  deps: SubscriptionsCliDeps,
): Promise<number> {
  return runCli(argv, deps, () => createSubscriptionsProgram(deps));
}

function createSubscriptionsProgram(deps: SubscriptionsCliDeps): Command {
  const program = createCliProgram("subscriptions", deps).description(
    "Manage Credo AI webhook subscriptions. Configured by CREDO_API_URL, CREDO_TENANT and CREDO_API_TOKEN.",
  );
  const commandDeps = { ...deps, client: () => createClient(deps) };
  addListCommand(program, commandDeps);
  addCreateCommand(program, commandDeps);
  addUpdateCommand(program, commandDeps);
  addDeleteCommand(program, commandDeps);
  addSyncCommand(program, commandDeps);
  return program;
}

/** An API that refuses, or cannot be reached, is the user's to fix: both fail as `CliError`s. */
function createClient(deps: SubscriptionsCliDeps): CredoClient {
  const config = readCredoApiConfig(deps.env);
  if (!config.ok) throw new CliError(config.error);
  const fetch = fetchFailuresAsCliErrors(deps.fetch ?? globalThis.fetch);
  return refusalsAsCliErrors(createCredoClient({ ...config.value, fetch }));
}
