import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveSecrets } from "../../src/config/dev-secrets.ts";
import { type Config, loadConfig } from "../../src/config/load-config.ts";
import { sources } from "../../src/handlers/index.ts";
import { capturiSource } from "../../src/sources/capturi/capturi-source.ts";
import { settingsOf } from "../../src/sources/configure-sources.ts";
import { credoSource } from "../../src/sources/credo/credo-source.ts";

function load(env: Record<string, string>): Config {
  const result = loadConfig(env, sources);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const credo = (config: Config) => settingsOf(config.sources, credoSource);
const capturi = (config: Config) => settingsOf(config.sources, capturiSource);

describe("loadConfig", () => {
  it("has working defaults for an empty environment", () => {
    const config = load({});
    expect(config).toMatchObject({
      env: "development",
      port: 3000,
      databasePath: path.join("data", "inbox.db"),
      bodyLimitBytes: 5 * 1024 * 1024,
      sources: {
        credo: { auth: "standard-webhooks", secrets: [], timestampToleranceSeconds: 300 },
        capturi: { auth: "header-token", tokenHeader: "authorization", tokens: [] },
      },
    });
  });

  it("reads lists of secrets and lower-cases the token header", () => {
    const config = load({
      CREDO_WEBHOOK_SECRETS:
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
      CAPTURI_TOKENS: "first-token-0123456789, Bearer second-token-0123456789",
      CAPTURI_TOKEN_HEADER: "X-Webhook-Token",
    });
    expect(credo(config).secrets).toHaveLength(2);
    // The Bearer prefix is how the token appears in the header; the token is what follows it.
    expect(capturi(config).tokens).toEqual(["first-token-0123456789", "second-token-0123456789"]);
    expect(capturi(config).tokenHeader).toBe("x-webhook-token");
  });

  it("names the variable when a value is wrong", () => {
    const result = loadConfig({ PORT: "eighty", CREDO_AUTH: "hmac" }, sources);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain("PORT");
      expect(result.error).toContain("CREDO_AUTH");
    }
  });

  it.each([
    ["Bearer", "at least 16"],
    ["Bearer short", "at least 16"],
    ["token-with-a-space-0123 and-another-0123456", "cannot contain spaces"],
  ])("rejects CAPTURI_TOKENS=%j, which would let guessable tokens in", (value, reason) => {
    const result = loadConfig({ CAPTURI_TOKENS: value }, sources);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain("CAPTURI_TOKENS");
      expect(result.error).toContain(reason);
    }
  });

  it("rejects a Credo secret that is not whsec_ base64, without echoing it", () => {
    const result = loadConfig({ CREDO_WEBHOOK_SECRETS: "not-a-secret!!" }, sources);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain("CREDO_WEBHOOK_SECRETS");
      expect(result.error).not.toContain("not-a-secret");
    }
  });
});

describe("resolveSecrets", () => {
  it("refuses to start in production without secrets and names the variables", () => {
    const result = resolveSecrets(load({ NODE_ENV: "production" }), sources);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain("CREDO_WEBHOOK_SECRETS");
      expect(result.error).toContain("CAPTURI_TOKENS");
    }
  });

  it("starts in production with auth none set explicitly", () => {
    const result = resolveSecrets(
      load({ NODE_ENV: "production", CREDO_AUTH: "none", CAPTURI_AUTH: "none" }),
      sources,
    );
    expect(result.ok).toBe(true);
  });

  it("generates development secrets once, keeps them private and reuses them", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "inbox-secrets-"));
    const first = resolveSecrets(load({ DATA_DIR: dataDir }), sources);
    const second = resolveSecrets(load({ DATA_DIR: dataDir }), sources);
    if (!first.ok || !second.ok) throw new Error("expected development secrets");
    expect(credo(first.config).secrets[0]).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(capturi(first.config).tokens[0]?.length).toBeGreaterThanOrEqual(40);
    expect(credo(second.config).secrets).toEqual(credo(first.config).secrets);
    expect(capturi(second.config).tokens).toEqual(capturi(first.config).tokens);
    const file = path.join(dataDir, "dev-secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8")).capturiToken).toBe(
      capturi(first.config).tokens[0],
    );
    // Copy as curl signs Credo AI deliveries with it; the Capturi token is not a signing secret.
    expect(first.developmentSigningSecrets).toEqual({ credo: credo(first.config).secrets[0] });
  });

  it("does not generate anything when secrets are configured", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "inbox-secrets-"));
    const result = resolveSecrets(
      load({
        DATA_DIR: dataDir,
        CREDO_WEBHOOK_SECRETS: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        CAPTURI_TOKENS: "configured-token-0123456789",
      }),
      sources,
    );
    expect(result.ok && result.generated).toEqual({});
    expect(result.ok && result.developmentSigningSecrets).toEqual({});
    expect(existsSync(path.join(dataDir, "dev-secrets.json"))).toBe(false);
  });
});
