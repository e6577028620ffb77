import { loadDefaultDevSecrets } from "../../src/config/dev-secrets.ts";
import { findLocalReceiver, type LocalReceiver } from "../../src/config/receiver-file.ts";
import { capturiSource } from "../../src/sources/capturi/capturi-source.ts";
import { credoSource } from "../../src/sources/credo/credo-source.ts";
import type { SandboxOptions } from "./create-sandbox.ts";
import type { SandboxCliOptions } from "./create-sandbox-program.ts";
import type { CapturiWebhookConfig } from "./trigger/capturi-webhook-config.ts";

/** `createSandbox` options, and the receiver the Capturi webhook calls, with how it was found. */
export interface ResolvedSandboxOptions {
  sandbox: SandboxOptions;
  receiver: LocalReceiver;
}

/**
 * Turns the command line into `createSandbox` options. The receiver's development secrets are read
 * (or created) only when an option does not give them; the receiver is looked up unless given.
 */
export function resolveSandboxOptions(
  options: SandboxCliOptions,
  env: Record<string, string | undefined>,
): ResolvedSandboxOptions {
  const dataDir = options.receiverDataDir ?? (env.DATA_DIR?.trim() || "data");
  const receiver: LocalReceiver = options.receiver
    ? { url: options.receiver, foundBy: "--receiver" }
    : findLocalReceiver(dataDir, env);
  const secrets = needsDevSecrets(options)
    ? loadDefaultDevSecrets(dataDir, [capturiSource, credoSource])
    : null;
  const capturiWebhooks = options.capturi
    ? [capturiWebhook(options, receiver.url, secrets?.capturiToken)]
    : [];
  return {
    sandbox: sandboxOptions(options, secrets?.credoWebhookSecret, capturiWebhooks),
    receiver,
  };
}

function sandboxOptions(
  options: SandboxCliOptions,
  devSigningSecret: string | undefined,
  capturiWebhooks: CapturiWebhookConfig[],
): SandboxOptions {
  return {
    stateDir: options.stateDir,
    credo: {
      tenant: options.tenant,
      apiToken: options.apiToken,
      accessTokenTtlMs: options.accessTokenTtlSeconds * 1000,
      signingSecret: options.signingSecret ?? devSigningSecret ?? "",
    },
    capturi: {
      webhooks: capturiWebhooks,
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
  receiverUrl: string,
  devToken: string | undefined,
): CapturiWebhookConfig {
  const token = options.capturiToken ?? devToken ?? "";
  const isAuthorization = options.capturiHeader.toLowerCase() === "authorization";
  return {
    name: "sandbox",
    url: options.capturiUrl ?? `${receiverUrl.replace(/\/+$/, "")}/webhooks/capturi`,
    method: options.capturiMethod,
    headers: { [options.capturiHeader]: isAuthorization ? `Bearer ${token}` : token },
    mode: options.capturiMode,
    casing: options.capturiCasing,
    events: [],
  };
}
