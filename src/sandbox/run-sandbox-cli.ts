import type { AddressInfo } from "node:net";
import { Command, InvalidArgumentError, Option } from "commander";
import { loadOrCreateDevSecrets } from "../config/dev-secrets.ts";
import { createSandbox } from "./create-sandbox.ts";
import type { AttemptRecord, DeliveryRecord } from "./deliveries/delivery-record.ts";
import type { CapturiWebhookConfig } from "./trigger/capturi-webhook-config.ts";

export const DEFAULT_SANDBOX_PORT = 4000;
export const DEFAULT_SANDBOX_TENANT = "sandbox";
export const DEFAULT_SANDBOX_API_TOKEN = "sandbox-api-token";

interface SandboxCliOptions {
  port: number;
  host?: string;
  receiver: string;
  stateDir: string;
  receiverDataDir: string;
  signingSecret?: string;
  capturi: boolean;
  capturiUrl?: string;
  capturiMethod: "POST" | "PUT" | "PATCH";
  capturiMode: "uid" | "full";
  capturiCasing: "camel" | "pascal";
  capturiHeader: string;
  capturiToken?: string;
  integrationToken?: string;
  tenant: string;
  apiToken: string;
  accessTokenTtlSeconds: number;
  retryScale: number;
  timeoutMs: number;
}

/** `npm run sandbox`: parses the options, builds the sandbox, listens, and stops on SIGINT/SIGTERM. */
export async function runSandboxCli(argv: readonly string[]): Promise<void> {
  const program = createSandboxProgram();
  await program.parseAsync(argv);
  const options = program.opts<SandboxCliOptions>();
  const secrets = needsDevSecrets(options) ? loadOrCreateDevSecrets(options.receiverDataDir) : null;
  const signingSecret = options.signingSecret ?? secrets?.credoWebhookSecret ?? "";
  const sandbox = createSandbox({
    stateDir: options.stateDir,
    credo: {
      tenant: options.tenant,
      apiToken: options.apiToken,
      accessTokenTtlMs: options.accessTokenTtlSeconds * 1000,
      signingSecret,
    },
    capturi: {
      webhooks: options.capturi ? [capturiWebhook(options, secrets?.capturiToken)] : [],
      integrationToken: options.integrationToken ?? null,
    },
    retryScale: options.retryScale,
    timeoutMs: options.timeoutMs,
    onAttempt: printAttempt,
  });
  const server = sandbox.app.listen({ port: options.port, host: options.host }, () => {
    const { port } = server.address() as AddressInfo;
    sandbox.engine.resume();
    // One JSON line for scripts and tests, then the human banner.
    process.stdout.write(`${JSON.stringify({ msg: "sandbox listening", port })}\n`);
    printBanner(port, options);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      sandbox.stop();
      server.close();
      server.closeAllConnections();
    });
  }
}

export function createSandboxProgram(): Command {
  return new Command("sandbox")
    .description(
      "Play Credo AI and Capturi against a receiver, offline: management API, signed deliveries with retries, Integration API, delivery log.",
    )
    .option("--port <port>", "port to listen on (0: any free port)", int, DEFAULT_SANDBOX_PORT)
    .option("--host <host>", "interface to listen on (default: all)")
    .option("--receiver <url>", "the receiver's base URL", "http://localhost:3000")
    .option(
      "--state-dir <dir>",
      "where subscriptions, the delivery log and conversations are kept",
      "data/sandbox",
    )
    .option(
      "--receiver-data-dir <dir>",
      "the receiver's DATA_DIR, whose dev-secrets.json supplies the secrets",
      "data",
    )
    .option(
      "--signing-secret <whsec>",
      "Credo AI signing secret (default: the receiver's development secret)",
    )
    .option("--no-capturi", "configure no Capturi webhook")
    .option(
      "--capturi-url <url>",
      "Capturi webhook call URL (default: <receiver>/webhooks/capturi)",
    )
    .addOption(
      new Option("--capturi-method <method>", "Capturi webhook method")
        .choices(["POST", "PUT", "PATCH"])
        .default("POST"),
    )
    .addOption(
      new Option("--capturi-mode <mode>", "Capturi payload type")
        .choices(["uid", "full"])
        .default("uid"),
    )
    .addOption(
      new Option("--capturi-casing <casing>", "Capturi body casing")
        .choices(["camel", "pascal"])
        .default("camel"),
    )
    .option("--capturi-header <name>", "header that carries the Capturi token", "Authorization")
    .option(
      "--capturi-token <token>",
      "Capturi header token (default: the receiver's development token)",
    )
    .option(
      "--integration-token <token>",
      "require this token in Authorization on the Integration API",
    )
    .option(
      "--tenant <tenant>",
      "Credo AI tenant that /auth/exchange accepts",
      DEFAULT_SANDBOX_TENANT,
    )
    .option(
      "--api-token <token>",
      "Credo AI API token that /auth/exchange accepts",
      DEFAULT_SANDBOX_API_TOKEN,
    )
    .option("--access-token-ttl-seconds <seconds>", "lifetime of an access token", int, 3600)
    .option(
      "--retry-scale <factor>",
      "multiplies Svix's retry delays (5 s … 10 h); 1 is real time",
      positive,
      0.01,
    )
    .option("--timeout-ms <ms>", "an attempt without a 2xx within this long failed", int, 15_000)
    .showHelpAfterError();
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

function printAttempt(record: DeliveryRecord, attempt: AttemptRecord): void {
  const outcome = attempt.status === null ? attempt.error : String(attempt.status);
  const next =
    record.nextAttemptAtMs === null
      ? record.status
      : `retry at ${new Date(record.nextAttemptAtMs).toISOString()}`;
  process.stdout.write(
    `${attempt.startedAt} ${record.source} ${record.event} ${record.messageId} #${attempt.number} → ${record.url} ${outcome} (${attempt.durationMs} ms) ${next}\n`,
  );
}

function printBanner(port: number, options: SandboxCliOptions): void {
  const base = `http://localhost:${port}`;
  process.stderr.write(
    [
      "",
      `  Sandbox on ${base}, state in ${options.stateDir}/, retry scale ${options.retryScale}`,
      `  Credo AI API    CREDO_API_URL=${base} CREDO_TENANT=${options.tenant} CREDO_API_TOKEN=${options.apiToken}`,
      `  Capturi API     CAPTURI_API_URL=${base}/capturi  (for the receiver)`,
      `  Trigger         curl -X POST ${base}/trigger -H 'content-type: application/json' -d '{"source":"capturi","event":"ConversationProcessed"}'`,
      `  Delivery log    ${base}/deliveries`,
      "",
    ].join("\n"),
  );
}

function int(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError("Expected a whole number.");
  return parsed;
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0)) throw new InvalidArgumentError("Expected a number above 0.");
  return parsed;
}
