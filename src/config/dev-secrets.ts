import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "./load-config.ts";

/** Secrets generated on the first development start and kept so that restarts reuse them. */
export interface DevSecrets {
  credoWebhookSecret: string;
  capturiToken: string;
}

export const DEV_SECRETS_FILE = "dev-secrets.json";

export type SecretsResult =
  | { ok: true; config: Config; generated: Partial<DevSecrets> }
  | { ok: false; error: string };

/**
 * Fills in missing secrets. In production a missing secret is an error that names the variable;
 * elsewhere a development secret is read from (or first written to) `<dataDir>/dev-secrets.json`.
 * `generated` holds the development secrets that were used, so that start-up can print them.
 */
export function resolveSecrets(config: Config): SecretsResult {
  const needsCredo = config.credo.auth === "standard-webhooks" && config.credo.secrets.length === 0;
  const needsCapturi = config.capturi.auth === "header-token" && config.capturi.tokens.length === 0;
  if (!needsCredo && !needsCapturi) return { ok: true, config, generated: {} };

  if (config.env === "production") {
    const missing = [
      needsCredo ? "CREDO_WEBHOOK_SECRETS (or CREDO_AUTH=none)" : null,
      needsCapturi ? "CAPTURI_TOKENS (or CAPTURI_AUTH=none)" : null,
    ].filter((name) => name !== null);
    return {
      ok: false,
      error: `NODE_ENV=production needs real secrets; set ${missing.join(" and ")}. Development secrets are never generated in production.`,
    };
  }

  const dev = loadOrCreateDevSecrets(config.dataDir);
  return {
    ok: true,
    config: {
      ...config,
      credo: needsCredo ? { ...config.credo, secrets: [dev.credoWebhookSecret] } : config.credo,
      capturi: needsCapturi ? { ...config.capturi, tokens: [dev.capturiToken] } : config.capturi,
    },
    generated: {
      ...(needsCredo ? { credoWebhookSecret: dev.credoWebhookSecret } : {}),
      ...(needsCapturi ? { capturiToken: dev.capturiToken } : {}),
    },
  };
}

/** Also used by the sender, which signs test events with the receiver's development secrets. */
export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, DEV_SECRETS_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  const secrets: DevSecrets = {
    credoWebhookSecret: `whsec_${randomBytes(32).toString("base64")}`,
    capturiToken: randomBytes(32).toString("base64url"),
  };
  mkdirSync(dataDir, { recursive: true });
  try {
    // 0600: the file holds secrets, even if only development ones. "wx": never overwrite.
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process (the sender, a second receiver) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateDevSecrets(dataDir);
    throw error;
  }
  return secrets;
}
