import path from "node:path";
import { z } from "zod";

const MIB = 1024 * 1024;

/** A comma- or whitespace-separated list; empty entries are ignored. */
const list = z
  .string()
  .optional()
  .transform((value) => (value ?? "").split(/[\s,]+/).filter((entry) => entry.length > 0));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default("data"),
  DATABASE_PATH: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BODY_LIMIT_BYTES: positiveInt(5 * MIB),

  CREDO_AUTH: z.enum(["standard-webhooks", "none"]).default("standard-webhooks"),
  CREDO_WEBHOOK_SECRETS: list,
  CREDO_TIMESTAMP_TOLERANCE_SECONDS: positiveInt(300),
  CREDO_EVENT_TYPE_PREFIX: z.string().optional(),
  CREDO_EVENT_TYPE_SUFFIX: z.string().optional(),

  CAPTURI_AUTH: z.enum(["header-token", "none"]).default("header-token"),
  CAPTURI_TOKEN_HEADER: z
    .string()
    .min(1)
    .default("authorization")
    .transform((name) => name.toLowerCase()),
  CAPTURI_TOKENS: list,
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  /** Undefined listens on every interface, as Node does by default. */
  host: string | undefined;
  dataDir: string;
  databasePath: string;
  logLevel: z.output<typeof envSchema>["LOG_LEVEL"];
  /** Full Capturi conversations are large; 5 MiB leaves room without inviting abuse. */
  bodyLimitBytes: number;
  credo: {
    auth: "standard-webhooks" | "none";
    /** `whsec_...` secrets; several at once while a secret is rotated. Empty: generate for development. */
    secrets: string[];
    timestampToleranceSeconds: number;
    eventTypePrefix: string | undefined;
    eventTypeSuffix: string | undefined;
  };
  capturi: {
    auth: "header-token" | "none";
    /** Lower-case header name the customer configured in Capturi's web app. */
    tokenHeader: string;
    /** Accepted tokens; several at once while a token is rotated. Empty: generate for development. */
    tokens: string[];
  };
}

export type ConfigResult = { ok: true; value: Config } | { ok: false; error: string };

/** Reads the environment once. Every error names the variable to fix. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ConfigResult {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    return { ok: false, error: `Invalid environment:\n  ${lines.join("\n  ")}` };
  }
  const e = parsed.data;
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databasePath: e.DATABASE_PATH ?? path.join(e.DATA_DIR, "inbox.db"),
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    credo: {
      auth: e.CREDO_AUTH,
      secrets: e.CREDO_WEBHOOK_SECRETS,
      timestampToleranceSeconds: e.CREDO_TIMESTAMP_TOLERANCE_SECONDS,
      eventTypePrefix: e.CREDO_EVENT_TYPE_PREFIX,
      eventTypeSuffix: e.CREDO_EVENT_TYPE_SUFFIX,
    },
    capturi: {
      auth: e.CAPTURI_AUTH,
      tokenHeader: e.CAPTURI_TOKEN_HEADER,
      tokens: e.CAPTURI_TOKENS,
    },
  };
  const malformed = config.credo.secrets.filter((secret) => !isStandardWebhooksSecret(secret));
  if (malformed.length > 0) {
    return {
      ok: false,
      error: `CREDO_WEBHOOK_SECRETS: ${malformed.length} entr${malformed.length === 1 ? "y is" : "ies are"} not a Standard Webhooks secret (expected whsec_ followed by base64)`,
    };
  }
  return { ok: true, value: config };
}

/** `FOO=` in a .env file means "not set", not "set to the empty string". */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => (entry[1] ?? "").trim() !== "",
    ),
  );
}

export function isStandardWebhooksSecret(secret: string): boolean {
  const base64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  return /^[A-Za-z0-9+/]+={0,2}$/.test(base64) && Buffer.from(base64, "base64").length >= 16;
}
