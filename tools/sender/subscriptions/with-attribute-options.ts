import { type Command, InvalidArgumentError, Option } from "commander";
import { CREDO_EVENT_TYPES } from "../../../src/sources/credo/credo-event.ts";
import type { WebhookAttributesPatch } from "../../credo-api/create-credo-client.ts";

/** A webhook's attributes as `create` and `update` take them on the command line. */
export interface AttributeOptions {
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
  /** Print the JSON:API resource instead of a one-line summary. */
  json?: boolean;
}

/**
 * Adds an option for each webhook attribute. `required`: `create` needs events, URL and description
 * and defaults the auth method; `update` changes only what is given.
 */
export function withAttributeOptions(command: Command, required: boolean): Command {
  const events = new Option(
    "--events <names>",
    `comma-separated event types, or "all" (the ${CREDO_EVENT_TYPES.length} known ones); other names are sent with a warning`,
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
    .option("--auth-server <url>", "o_auth (required): the token URL Credo AI calls")
    .option(
      "--auth-payload <json>",
      "o_auth (required): the JSON body Credo AI sends to the token URL",
      parseJsonObject,
    )
    .option(
      "--auth-payload-type <type>",
      "o_auth (required): the media type of that body, e.g. application/json",
    )
    .option("--prefix <prefix>", "event_type_prefix (Credo AI's default: CredoAI)")
    .option("--suffix <suffix>", "event_type_suffix (none by default)")
    .option("--environment <name>", "environment attribute")
    .option("--bucket <name>", "bucket attribute")
    .option("--json", "print the webhook's JSON:API resource instead of a one-line summary");
}

/** The API's attribute names for the options given; options not given are left out, never null. */
export function toAttributes(options: AttributeOptions): WebhookAttributesPatch {
  const attributes: WebhookAttributesPatch = {
    url: options.url,
    event_types: options.events,
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

// Any name is taken, as Credo AI's API takes any: the commands warn about unknown ones.
function parseEvents(value: string): string[] {
  if (value.trim() === "all") return [...CREDO_EVENT_TYPES];
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) throw new InvalidArgumentError("Expected at least one event type.");
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
