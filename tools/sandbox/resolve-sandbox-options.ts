import { loadDefaultDevSecrets } from "../../src/config/dev-secrets.ts";
import { capturiSource } from "../../src/sources/capturi/capturi-source.ts";
import { credoSource } from "../../src/sources/credo/credo-source.ts";
import type { SandboxOptions } from "./create-sandbox.ts";
import type { SandboxCliOptions } from "./create-sandbox-program.ts";
import type { CapturiWebhookConfig } from "./trigger/capturi-webhook-config.ts";

/**
 * Turns the command line into `createSandbox` options. The receiver's development secrets are read
 * (or created) only when an option does not give them.
 */
export function resolveSandboxOptions(options: SandboxCliOptions): SandboxOptions {
  const secrets = needsDevSecrets(options)
    ? loadDefaultDevSecrets(options.receiverDataDir, [capturiSource, credoSource])
    : null;
  return {
    stateDir: options.stateDir,
    credo: {
      tenant: options.tenant,
      apiToken: options.apiToken,
      accessTokenTtlMs: options.accessTokenTtlSeconds * 1000,
      signingSecret: options.signingSecret ?? secrets?.credoWebhookSecret ?? "",
    },
    capturi: {
      webhooks: options.capturi ? [capturiWebhook(options, secrets?.capturiToken)] : [],
      integrationToken: options.integrationToken ?? null,
    },
    retryScale: options.retryScale,
    timeoutMs: options.timeoutMs,
  };
}

function needsDevSecrets(options: SandboxCliOptions): boolean {
  return (
    options.signingSecret === undefined || (options.capturi && options.capturiToken === undefined)
  );
}

function capturiWebhook(
  options: SandboxCliOptions,
  devToken: string | undefined,
): CapturiWebhookConfig {
  const token = options.capturiToken ?? devToken ?? "";
  const isAuthorization = options.capturiHeader.toLowerCase() === "authorization";
  return {
    name: "sandbox",
    url: options.capturiUrl ?? `${options.receiver.replace(/\/+$/, "")}/webhooks/capturi`,
    method: options.capturiMethod,
    headers: { [options.capturiHeader]: isAuthorization ? `Bearer ${token}` : token },
    mode: options.capturiMode,
    casing: options.capturiCasing,
    events: [],
  };
}
