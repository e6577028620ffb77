import path from "node:path";
import { z } from "zod";

const MIB = 1024 * 1024;

/** A comma-separated list, each entry trimmed; empty entries are ignored. */
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  );

/** Shorter tokens can be guessed; `openssl rand -base64 32` gives 44 characters. */
const MIN_TOKEN_LENGTH = 16;

/**
 * Capturi tokens, as configured or with the `Bearer ` prefix they carry in the header: the prefix
 * is dropped, so that `Bearer` itself can never become an accepted token.
 */
const tokenList = list.pipe(
  z.array(
    z
      .string()
      .transform((token) => token.replace(/^Bearer\s+/i, ""))
      .pipe(
        z
          .string()
          .regex(/^\S+$/, "a token cannot contain spaces; separate several tokens with commas")
          .min(
            MIN_TOKEN_LENGTH,
            `use at least ${MIN_TOKEN_LENGTH} characters (openssl rand -base64 32)`,
          ),
      ),
  ),
);

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
  CAPTURI_TOKENS: tokenList,

  CAPTURI_API_URL: z.url().default("https://api.capturi.ai/audio"),
  CAPTURI_API_TOKEN: z.string().optional(),
  CAPTURI_API_AUTH_HEADER: z.string().min(1).default("authorization"),
  CAPTURI_API_AUTH_SCHEME: z.string().default(""),
  CAPTURI_API_VERSION: z.string().min(1).default("2"),
  CAPTURI_API_TIMEOUT_MS: positiveInt(10_000),

  WORKER_CONCURRENCY: positiveInt(4),
  WORKER_MAX_ATTEMPTS: positiveInt(8),
  WORKER_LEASE_SECONDS: positiveInt(60),
  WORKER_BACKOFF_BASE_MS: positiveInt(1_000),
  WORKER_BACKOFF_MAX_MS: positiveInt(15 * 60_000),
  SHUTDOWN_DEADLINE_SECONDS: positiveInt(10),

  INSPECT_TOKEN: z
    .string()
    .min(16, "use at least 16 characters (openssl rand -base64 32)")
    .optional(),
  RETENTION_DAYS: z.coerce.number().int().min(0).default(7),
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
  capturiApi: {
    /** Base URL of the Integration API (the sandbox's, to run offline). */
    baseUrl: string;
    token: string | undefined;
    authHeader: string;
    /** Prefix before the token, e.g. "Bearer"; empty sends the raw token, as Capturi expects. */
    authScheme: string;
    apiVersion: string;
    timeoutMs: number;
  };
  worker: {
    concurrency: number;
    maxAttempts: number;
    leaseMs: number;
    backoff: { baseDelayMs: number; maxDelayMs: number };
  };
  /** How long running handlers get to finish on SIGINT/SIGTERM. */
  shutdownDeadlineMs: number;
  /** Lets clients that are not on loopback use `/inspect`; undefined: loopback only. */
  inspectToken: string | undefined;
  /** Deliveries older than this many days are pruned; 0 keeps them forever. */
  retentionDays: number;
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
    capturiApi: {
      baseUrl: e.CAPTURI_API_URL,
      token: e.CAPTURI_API_TOKEN,
      authHeader: e.CAPTURI_API_AUTH_HEADER,
      authScheme: e.CAPTURI_API_AUTH_SCHEME,
      apiVersion: e.CAPTURI_API_VERSION,
      timeoutMs: e.CAPTURI_API_TIMEOUT_MS,
    },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      maxAttempts: e.WORKER_MAX_ATTEMPTS,
      leaseMs: e.WORKER_LEASE_SECONDS * 1000,
      backoff: { baseDelayMs: e.WORKER_BACKOFF_BASE_MS, maxDelayMs: e.WORKER_BACKOFF_MAX_MS },
    },
    shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_SECONDS * 1000,
    inspectToken: e.INSPECT_TOKEN,
    retentionDays: e.RETENTION_DAYS,
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
