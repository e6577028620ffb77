import { readFileSync } from "node:fs";
import { z } from "zod";
import type { NewWebhookAttributes } from "../../credo-api/create-credo-client.ts";
import { missingOAuthAttributes } from "../../credo-api/missing-o-auth-attributes.ts";
import { unknownEventTypeWarnings } from "./unknown-event-type-warnings.ts";

/**
 * One subscription this service needs. `description` is its stable key: sync matches the API's
 * webhooks by description, so that a changed URL or event list is an update, not a new webhook.
 * Optional attributes are strings or absent, never null: Credo AI's API types them as strings.
 */
const manifestEntrySchema = z
  .object({
    description: z.string().min(1),
    url: z.url({ protocol: /^https?$/ }),
    // Any name, as Credo AI's API takes any: unknown ones are warned about, not refused.
    event_types: z.array(z.string().min(1)).min(1),
    authentication_method: z.enum(["none", "o_auth"]).default("none"),
    event_type_prefix: z.string().optional(),
    event_type_suffix: z.string().optional(),
    environment: z.string().optional(),
    bucket: z.string().optional(),
    authentication_server: z.url().optional(),
    authentication_payload: z.record(z.string(), z.unknown()).optional(),
    authentication_payload_type: z.string().optional(),
  })
  .superRefine((entry, ctx) => {
    for (const name of missingOAuthAttributes(entry)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "Required when authentication_method is o_auth (Credo AI's guide)",
      });
    }
  });

const manifestSchema = z.object({
  subscriptions: z
    .array(manifestEntrySchema)
    .refine(
      (entries) => new Set(entries.map((entry) => entry.description)).size === entries.length,
      { error: "Each description must be unique: sync matches webhooks by description" },
    ),
});

export type ManifestEntry = NewWebhookAttributes;

export type ManifestResult =
  | {
      ok: true;
      value: ManifestEntry[];
      /** Things worth saying that do not stop a sync, e.g. an event type this kit does not know. */
      warnings: string[];
    }
  | { ok: false; error: string };

/**
 * Reads `subscriptions.json`. String values may use `${VAR}` or `${VAR:-default}`, so that one
 * committed file serves every environment (`"url": "${PUBLIC_BASE_URL}/webhooks/credo"`).
 */
export function readManifest(
  file: string,
  env: Record<string, string | undefined>,
): ManifestResult {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { ok: false, error: `Cannot read ${file}: ${(error as Error).message}` };
  }
  return parseManifest(json, env, file);
}

export function parseManifest(
  json: unknown,
  env: Record<string, string | undefined>,
  file = "manifest",
): ManifestResult {
  const missing = new Set<string>();
  // Only the entries are expanded: `$comment` may mention the syntax itself.
  const entries =
    typeof json === "object" && json !== null
      ? (json as { subscriptions?: unknown }).subscriptions
      : undefined;
  const expanded = { subscriptions: expand(entries, env, missing) };
  if (missing.size > 0) {
    return {
      ok: false,
      error: `${file} uses ${[...missing].map((name) => `\${${name}}`).join(", ")}: set ${[...missing].join(", ")} or give a default with \${NAME:-default}`,
    };
  }
  const parsed = manifestSchema.safeParse(expanded);
  if (!parsed.success)
    return { ok: false, error: `${file} is invalid:\n${z.prettifyError(parsed.error)}` };
  const subscriptions = parsed.data.subscriptions;
  const warnings = unknownEventTypeWarnings([
    ...new Set(subscriptions.flatMap((entry) => entry.event_types)),
  ]);
  return { ok: true, value: subscriptions, warnings };
}

function expand(
  value: unknown,
  env: Record<string, string | undefined>,
  missing: Set<string>,
): unknown {
  if (typeof value === "string") {
    return value.replace(
      /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g,
      (_match, name: string, fallback?: string) => {
        const found = env[name];
        if (found !== undefined && found !== "") return found;
        if (fallback !== undefined) return fallback;
        missing.add(name);
        return "";
      },
    );
  }
  if (Array.isArray(value)) return value.map((item) => expand(item, env, missing));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expand(item, env, missing)]),
    );
  }
  return value;
}
