import { type Command, InvalidArgumentError, Option } from "commander";
import { CREDO_EVENT_TYPES } from "../../../src/sources/credo/credo-event.ts";
import type { WebhookAttributes } from "../../credo-api/create-credo-client.ts";

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
}

/**
 * Adds an option for each webhook attribute. `required`: `create` needs events, URL and description
 * and defaults the auth method; `update` changes only what is given.
 */
export function withAttributeOptions(command: Command, required: boolean): Command {
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

/** The API's attribute names for the options given; options not given are left out. */
export function toAttributes(options: AttributeOptions): Partial<WebhookAttributes> {
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
