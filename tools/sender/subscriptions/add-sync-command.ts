import path from "node:path";
import type { Command } from "commander";
import { CliError } from "../../../src/cli/cli-error.ts";
import { findLocalReceiver } from "../../../src/config/receiver-file.ts";
import { applySync, formatPlan } from "./apply-sync.ts";
import { planSync } from "./plan-sync.ts";
import type { SubscriptionCommandDeps } from "./subscription-command-deps.ts";
import { readManifest } from "./subscription-manifest.ts";

export interface SyncCommandDeps extends SubscriptionCommandDeps {
  /** Expands `${VAR}` in the manifest. */
  env: Record<string, string | undefined>;
  /** The manifest's path resolves against it. */
  cwd: string;
}

interface SyncOptions {
  manifest: string;
  dryRun?: boolean;
  deleteExtra?: boolean;
}

/** `subscriptions sync [--manifest <file>] [--dry-run] [--delete-extra]`. */
export function addSyncCommand(program: Command, deps: SyncCommandDeps): void {
  program
    .command("sync")
    .description(
      "Make the API match the manifest (matched by description): print the plan, then apply it.",
    )
    .option("--manifest <file>", "the subscriptions this service needs", "subscriptions.json")
    .option("--dry-run", "print the plan, change nothing")
    .option("--delete-extra", "also delete webhooks the manifest does not name")
    .action((options: SyncOptions) => sync(options, deps));
}

async function sync(options: SyncOptions, { client, out, err, env, cwd }: SyncCommandDeps) {
  const manifest = readManifest(
    path.resolve(cwd, options.manifest),
    withPublicBaseUrl(env, cwd, err),
  );
  if (!manifest.ok) throw new CliError(manifest.error);
  for (const warning of manifest.warnings) err(warning);
  const api = client();
  const plan = planSync(manifest.value, await api.listWebhooks());
  const lines = formatPlan(plan, Boolean(options.deleteExtra));
  out(lines.length === 0 ? "Nothing to do." : lines.join("\n"));
  if (options.dryRun) return out("Dry run: nothing changed.");
  await applySync(plan, api, { deleteExtra: Boolean(options.deleteExtra), print: out });
}

/**
 * PUBLIC_BASE_URL, where the provider reaches this service, defaults to the receiver running on
 * this machine (as `npm run send` finds it), so that the sandbox delivers to the right port.
 */
function withPublicBaseUrl(
  env: Record<string, string | undefined>,
  cwd: string,
  err: (line: string) => void,
): Record<string, string | undefined> {
  if (env.PUBLIC_BASE_URL?.trim()) return env;
  const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || "data");
  const receiver = findLocalReceiver(dataDir, env);
  err(
    `PUBLIC_BASE_URL is not set: using the local receiver, ${receiver.url} (from ${receiver.foundBy}).`,
  );
  return { ...env, PUBLIC_BASE_URL: receiver.url };
}
