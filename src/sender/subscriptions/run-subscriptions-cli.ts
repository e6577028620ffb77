import path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import {
  type CredoClient,
  createCredoClient,
  type WebhookAttributes,
} from "../../clients/credo/create-credo-client.ts";
import { CredoApiError } from "../../clients/credo/credo-api-error.ts";
import { CREDO_EVENT_TYPES } from "../../sources/credo/credo-event.ts";
import { applySync, formatPlan } from "./apply-sync.ts";
import { planSync } from "./plan-sync.ts";
import { readCredoApiConfig } from "./read-credo-api-config.ts";
import { readManifest } from "./subscription-manifest.ts";

export interface SubscriptionsCliDeps {
  env: Record<string, string | undefined>;
  /** Relative paths (the manifest) resolve against it. */
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
  fetch?: typeof globalThis.fetch;
}

/** A problem the user can fix; printed without a stack trace. */
class UsageError extends Error {}

/** `npm run subscriptions -- <command>`. Resolves with the exit code: non-zero on any failure. */
export async function runSubscriptionsCli(
  argv: readonly string[],
  deps: SubscriptionsCliDeps,
): Promise<number> {
  const program = createSubscriptionsProgram(deps);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CredoApiError || error instanceof UsageError) {
      deps.err(`error: ${error.message}`);
      return 1;
    }
    deps.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function createSubscriptionsProgram(deps: SubscriptionsCliDeps): Command {
  const client = (): CredoClient => {
    const config = readCredoApiConfig(deps.env);
    if (!config.ok) throw new UsageError(config.error);
    return createCredoClient({ ...config.value, ...(deps.fetch ? { fetch: deps.fetch } : {}) });
  };
  const program = new Command("subscriptions")
    .description(
      "Manage Credo AI webhook subscriptions. Configured by CREDO_API_URL, CREDO_TENANT and CREDO_API_TOKEN.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.out(text.trimEnd()),
      writeErr: (text) => deps.err(text.trimEnd()),
    })
    .showHelpAfterError();

  program
    .command("list")
    .description("List the tenant's webhooks.")
    .option("--json", "print the JSON:API resources")
    .action(async (options: { json?: boolean }) => {
      const webhooks = await client().listWebhooks();
      if (options.json) return deps.out(JSON.stringify(webhooks.map(withoutAuthPayload), null, 2));
      if (webhooks.length === 0) return deps.out("No webhooks.");
      for (const { id, attributes: a } of webhooks) {
        const type = [a.event_type_prefix ?? "CredoAI", "<event>", a.event_type_suffix ?? "v1"]
          .filter(Boolean)
          .join(".");
        deps.out(
          `${id}  ${a.description}\n    ${a.url}  ${a.event_types.length} event types  ${type}  auth ${a.authentication_method}`,
        );
      }
    });

  withAttributeOptions(program.command("create"), true)
    .description(
      "Create a webhook. Credo AI does not return its signing secret: get it from Credo AI.",
    )
    .action(async (options: AttributeOptions) => {
      const created = await client().createWebhook(toAttributes(options) as WebhookAttributes);
      deps.out(JSON.stringify(withoutAuthPayload(created), null, 2));
    });

  withAttributeOptions(program.command("update"), false)
    .description("Change some attributes of a webhook; the others are kept.")
    .argument("<id>", "the webhook's id")
    .action(async (id: string, options: AttributeOptions) => {
      const api = client();
      const current = await api.getWebhook(id);
      const updated = await api.updateWebhook(id, {
        ...current.attributes,
        ...toAttributes(options),
      });
      deps.out(JSON.stringify(withoutAuthPayload(updated), null, 2));
    });

  program
    .command("delete")
    .description("Delete a webhook.")
    .argument("<id>", "the webhook's id")
    .action(async (id: string) => {
      await client().deleteWebhook(id);
      deps.out(`deleted ${id}`);
    });

  program
    .command("sync")
    .description(
      "Make the API match the manifest (matched by description): print the plan, then apply it.",
    )
    .option("--manifest <file>", "the subscriptions this service needs", "subscriptions.json")
    .option("--dry-run", "print the plan, change nothing")
    .option("--delete-extra", "also delete webhooks the manifest does not name")
    .action(async (options: { manifest: string; dryRun?: boolean; deleteExtra?: boolean }) => {
      const manifest = readManifest(path.resolve(deps.cwd, options.manifest), deps.env);
      if (!manifest.ok) throw new UsageError(manifest.error);
      const api = client();
      const plan = planSync(manifest.value, await api.listWebhooks());
      const lines = formatPlan(plan, Boolean(options.deleteExtra));
      deps.out(lines.length === 0 ? "Nothing to do." : lines.join("\n"));
      if (options.dryRun) return deps.out("Dry run: nothing changed.");
      await applySync(plan, api, { deleteExtra: Boolean(options.deleteExtra), print: deps.out });
    });

  return program;
}

interface AttributeOptions {
  url?: string;
  events?: string[];
  description?: string;
  authMethod?: "none" | "o_auth";
  authServer?: string;
  authPayload?: Record<string, unknown>;
  authPayloadType?: string;
  prefix?: string;
  suffix?: string;
  environment?: string;
  bucket?: string;
}

function withAttributeOptions(command: Command, required: boolean): Command {
  const events = new Option(
    "--events <names>",
    `comma-separated event types, or "all" (${CREDO_EVENT_TYPES.length})`,
  ).argParser(parseEvents);
  return command
    .addOption(required ? events.makeOptionMandatory() : events)
    .addOption(
      new Option(
        "--url <url>",
        "where Credo AI delivers, e.g. https://example.com/webhooks/credo",
      ).makeOptionMandatory(required),
    )
    .addOption(
      new Option(
        "--description <text>",
        "a name for it; sync matches webhooks by description",
      ).makeOptionMandatory(required),
    )
    .addOption(
      new Option(
        "--auth-method <method>",
        "how Credo AI authenticates to you, on top of the Svix signature",
      )
        .choices(["none", "o_auth"])
        .default(required ? "none" : undefined),
    )
    .option("--auth-server <url>", "o_auth: the token URL Credo AI calls")
    .option(
      "--auth-payload <json>",
      "o_auth: the JSON body Credo AI sends to the token URL",
      parseJsonObject,
    )
    .option(
      "--auth-payload-type <type>",
      "o_auth: the media type of that body, e.g. application/json",
    )
    .option("--prefix <prefix>", "event_type_prefix (Credo AI's default: CredoAI)")
    .option("--suffix <suffix>", "event_type_suffix (Credo AI's default: v1)")
    .option("--environment <name>", "environment attribute")
    .option("--bucket <name>", "bucket attribute");
}

function toAttributes(options: AttributeOptions): Partial<WebhookAttributes> {
  const attributes: Partial<WebhookAttributes> = {
    url: options.url,
    event_types: options.events as WebhookAttributes["event_types"] | undefined,
    description: options.description,
    authentication_method: options.authMethod,
    authentication_server: options.authServer,
    authentication_payload: options.authPayload,
    authentication_payload_type: options.authPayloadType,
    event_type_prefix: options.prefix,
    event_type_suffix: options.suffix,
    environment: options.environment,
    bucket: options.bucket,
  };
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
}

function parseEvents(value: string): string[] {
  if (value.trim() === "all") return [...CREDO_EVENT_TYPES];
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !(CREDO_EVENT_TYPES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `Unknown event type ${unknown.join(", ")}. Known: all, ${CREDO_EVENT_TYPES.join(", ")}`,
    );
  }
  return names;
}

function parseJsonObject(value: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {}
  throw new InvalidArgumentError("Expected a JSON object.");
}

/** `authentication_payload` holds the OAuth client credentials Credo AI sends: never print them. */
function withoutAuthPayload<W extends { attributes: { authentication_payload?: unknown } }>(
  webhook: W,
): W {
  const payload = webhook.attributes.authentication_payload;
  if (payload === undefined || payload === null) return webhook;
  return { ...webhook, attributes: { ...webhook.attributes, authentication_payload: "[hidden]" } };
}
