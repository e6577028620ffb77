import path from "node:path";
import { z } from "zod";
import { isPostgresUrl } from "../inbox/database-url.ts";
import type { SourceSettings } from "../sources/configure-sources.ts";
import type { AnySourceDefinition } from "../sources/source-definition.ts";
import { positiveInt } from "./env-schemas.ts";

const MIB = 1024 * 1024;
/** Where `npm start` listens when PORT is not set. */
export const DEFAULT_PORT = 3000;

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default("data"),
  DATABASE_PATH: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, {
      // Never echo the value: it may hold a password.
      message: "use postgres://user:password@host:5432/database (unset: SQLite at DATABASE_PATH)",
    })
    .refine(canParse, { message: "is not a valid URL (percent-encode special characters)" })
    .optional(),
  DATABASE_POOL_SIZE: positiveInt(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BODY_LIMIT_BYTES: positiveInt(5 * MIB),

  WORKER_CONCURRENCY: positiveInt(4),
  WORKER_MAX_ATTEMPTS: positiveInt(8),
  WORKER_LEASE_SECONDS: positiveInt(60),
  WORKER_BACKOFF_BASE_MS: positiveInt(1_000),
  WORKER_BACKOFF_MAX_MS: positiveInt(15 * 60_000),
  SHUTDOWN_DEADLINE_SECONDS: positiveInt(10),
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().int().min(0).default(0),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|[\w.:/]+( *, *[\w.:/]+)*)$/, {
      message:
        "use true, false, a number of proxies in front (e.g. 1), or addresses/subnets/loopback, comma-separated",
    })
    .optional(),

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
  /** Set: every store on this PostgreSQL database (several instances may share it). */
  databaseUrl: string | undefined;
  /** PostgreSQL connections per process, the LISTEN connection not counted. */
  databasePoolSize: number;
  logLevel: z.output<typeof envSchema>["LOG_LEVEL"];
  /** Full Capturi conversations are large; 5 MiB leaves room without inviting abuse. */
  bodyLimitBytes: number;
  worker: {
    concurrency: number;
    maxAttempts: number;
    leaseMs: number;
    backoff: { baseDelayMs: number; maxDelayMs: number };
  };
  /** How long running handlers get to finish on SIGINT/SIGTERM. */
  shutdownDeadlineMs: number;
  /**
   * How long `/readyz` answers 503 before the listener closes on SIGTERM, so that a load balancer
   * stops sending first; deliveries that still arrive meanwhile are received as usual.
   */
  shutdownDelayMs: number;
  /** Express's `trust proxy`: which proxies' X-Forwarded-* headers to believe; false: none. */
  trustProxy: boolean | number | string;
  /** Lets clients that are not on loopback use `/inspect`; undefined: loopback only. */
  inspectToken: string | undefined;
  /** Deliveries older than this many days are pruned; 0 keeps them forever. */
  retentionDays: number;
  /** Each source's own settings (see `SourceDefinition.settings`), by source name. */
  sources: SourceSettings;
}

export type ConfigResult = { ok: true; value: Config } | { ok: false; error: string };

/**
 * Reads the environment once: the service's own variables and those of each source (its
 * `settings` schema). Every error names the variable to fix.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  sources: readonly AnySourceDefinition[] = [],
): ConfigResult {
  const given = withoutBlanks(env);
  const parsed = envSchema.safeParse(given);
  const sourceSettings = sources.map((source) => source.settings.safeParse(given));
  const issues = [parsed, ...sourceSettings].flatMap((result) =>
    result.success ? [] : result.error.issues,
  );
  if (!parsed.success || issues.length > 0) {
    const lines = issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    return { ok: false, error: `Invalid environment:\n  ${lines.join("\n  ")}` };
  }
  const e = parsed.data;
  const config: Config = {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databasePath: e.DATABASE_PATH ?? path.join(e.DATA_DIR, "inbox.db"),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      maxAttempts: e.WORKER_MAX_ATTEMPTS,
      leaseMs: e.WORKER_LEASE_SECONDS * 1000,
      backoff: { baseDelayMs: e.WORKER_BACKOFF_BASE_MS, maxDelayMs: e.WORKER_BACKOFF_MAX_MS },
    },
    shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_SECONDS * 1000,
    shutdownDelayMs: e.SHUTDOWN_DELAY_SECONDS * 1000,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    inspectToken: e.INSPECT_TOKEN,
    retentionDays: e.RETENTION_DAYS,
    sources: Object.fromEntries(
      sources.map((source, index) => [source.name, sourceSettings[index]?.data]),
    ),
  };
  return { ok: true, value: config };
}

/** `true`/`false`, a hop count, or what Express takes as a list (`loopback, 10.0.0.0/8`). */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function canParse(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** `FOO=` in a .env file means "not set", not "set to the empty string". */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => (entry[1] ?? "").trim() !== "",
    ),
  );
}
