import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { settingsOf } from "../sources/configure-sources.ts";
import type { AnySourceDefinition, DevelopmentSecret } from "../sources/source-definition.ts";
import type { Config } from "./load-config.ts";

/** Development secrets by key (`capturiToken`, `credoWebhookSecret`, ...), as the file holds them. */
export type DevSecrets = Readonly<Record<string, string>>;

export const DEV_SECRETS_FILE = "dev-secrets.json";

export type SecretsResult =
  | {
      ok: true;
      config: Config;
      generated: DevSecrets;
      /**
       * The generated Standard Webhooks (`whsec_`) secrets by source name: the inspect page's
       * "Copy as curl" signs with them. Configured secrets are never here.
       */
      developmentSigningSecrets: Readonly<Record<string, string>>;
    }
  | { ok: false; error: string };

/**
 * Fills in the secrets each source lacks. In production a missing secret is an error that names
 * the variable; elsewhere a development secret is read from (or first written to)
 * `<dataDir>/dev-secrets.json`. `generated` holds the development secrets that were used, so that
 * start-up can print them.
 */
export function resolveSecrets(
  config: Config,
  sources: readonly AnySourceDefinition[],
): SecretsResult {
  const missing = sources.flatMap((source) =>
    (source.developmentSecrets?.(settingsOf(config.sources, source)) ?? []).map(
      (secret: DevelopmentSecret<unknown>) => ({ source, secret }),
    ),
  );
  if (missing.length === 0)
    return { ok: true, config, generated: {}, developmentSigningSecrets: {} };

  if (config.env === "production") {
    const variables = missing.map(({ secret }) => secret.variable);
    return {
      ok: false,
      error: `NODE_ENV=production needs real secrets; set ${variables.join(" and ")}. Development secrets are never generated in production.`,
    };
  }

  const values = loadOrCreateDevSecrets(
    config.dataDir,
    missing.map(({ secret }) => secret),
  );
  const settings = { ...config.sources };
  for (const { source, secret } of missing) {
    const value = values[secret.key] ?? "";
    settings[source.name] = secret.apply(settingsOf(settings, source), value);
  }
  const generated = Object.fromEntries(
    missing.map(({ secret }) => [secret.key, values[secret.key] ?? ""]),
  );
  const developmentSigningSecrets = Object.fromEntries(
    missing
      .map(({ source, secret }) => [source.name, values[secret.key] ?? ""] as const)
      .filter(([, value]) => value.startsWith("whsec_")),
  );
  return {
    ok: true,
    config: { ...config, sources: settings },
    generated,
    developmentSigningSecrets,
  };
}

/**
 * The development secrets in `<dataDir>/dev-secrets.json`, creating the file or adding the keys
 * it lacks. The sender and the sandbox call it too: they sign with the receiver's secrets.
 */
export function loadOrCreateDevSecrets(
  dataDir: string,
  wanted: readonly Pick<DevelopmentSecret<unknown>, "key" | "generate">[],
): DevSecrets {
  const file = path.join(dataDir, DEV_SECRETS_FILE);
  const existing = existsSync(file) ? readSecrets(file) : undefined;
  const absent = wanted.filter(({ key }) => existing?.[key] === undefined);
  if (existing && absent.length === 0) return existing;
  const secrets = {
    ...existing,
    ...Object.fromEntries(absent.map(({ key, generate }) => [key, generate()])),
  };
  mkdirSync(dataDir, { recursive: true });
  const contents = `${JSON.stringify(secrets, null, 2)}\n`;
  try {
    if (existing) {
      // Written beside it and renamed over it, so that no reader ever sees half a file.
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, contents, { mode: 0o600 });
      renameSync(temporary, file);
    } else {
      // 0600: the file holds secrets, even if only development ones. "wx": never overwrite.
      writeFileSync(file, contents, { mode: 0o600, flag: "wx" });
    }
  } catch (error) {
    // Another process (the sender, a second receiver) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return loadOrCreateDevSecrets(dataDir, wanted);
    }
    throw error;
  }
  return secrets;
}

function readSecrets(file: string): DevSecrets {
  return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
}

/**
 * The development secrets the sources would generate with nothing configured, read from (or
 * added to) `<dataDir>/dev-secrets.json`: what the sender and the sandbox sign with.
 */
export function loadDefaultDevSecrets(
  dataDir: string,
  sources: readonly AnySourceDefinition[],
): DevSecrets {
  const wanted = sources.flatMap(
    (source) => source.developmentSecrets?.(source.settings.parse({})) ?? [],
  );
  return loadOrCreateDevSecrets(dataDir, wanted);
}
