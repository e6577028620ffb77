import { type Command, InvalidArgumentError, Option } from "commander";
import { type CliOutput, createCliProgram } from "../../src/cli/create-cli-program.ts";

export const DEFAULT_SANDBOX_PORT = 4000;
export const DEFAULT_SANDBOX_TENANT = "sandbox";
export const DEFAULT_SANDBOX_API_TOKEN = "sandbox-api-token";

/** What `npm run sandbox` parsed from its options. */
export interface SandboxCliOptions {
  port: number;
  host?: string;
  /** Absent: the running receiver, found as `npm run send` finds it. */
  receiver?: string;
  stateDir: string;
  /** Absent: DATA_DIR, or `data`. */
  receiverDataDir?: string;
  signingSecret?: string;
  /** false with --no-capturi. */
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

/** The `sandbox` command line, running `action` with what it parsed. */
export function createSandboxProgram(
  output: CliOutput,
  action: (options: SandboxCliOptions) => Promise<void>,
): Command {
  const program = createCliProgram("sandbox", output)
    .description(
      "Play Credo AI and Capturi against a receiver, offline: management API, signed deliveries with retries, Integration API, delivery log.",
    )
    .option("--port <port>", "port to listen on (0: any free port)", int, DEFAULT_SANDBOX_PORT)
    .option("--host <host>", "interface to listen on (default: all)")
    .option(
      "--receiver <url>",
      "the receiver's base URL (default: the running receiver in <receiver-data-dir>/receiver.json, else http://localhost:$PORT, else port 3000)",
    )
    .option(
      "--state-dir <dir>",
      "where subscriptions, the delivery log and conversations are kept",
      "data/sandbox",
    )
    .option(
      "--receiver-data-dir <dir>",
      "the receiver's DATA_DIR, whose dev-secrets.json supplies the secrets (default: $DATA_DIR, or data)",
    )
    .option(
      "--signing-secret <whsec>",
      "Credo AI signing secret (default: the receiver's development secret)",
    );
  addCapturiOptions(program);
  addCredoApiOptions(program);
  addDeliveryOptions(program);
  return program.action(action);
}

/** The Capturi webhook the sandbox sends, and its Integration API. */
function addCapturiOptions(program: Command): void {
  program
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
    );
}

/** The credentials Credo AI's management API accepts. */
function addCredoApiOptions(program: Command): void {
  program
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
    .option("--access-token-ttl-seconds <seconds>", "lifetime of an access token", int, 3600);
}

/** How fast the sandbox retries and how long it waits for an answer. */
function addDeliveryOptions(program: Command): void {
  program
    .option(
      "--retry-scale <factor>",
      "multiplies Svix's retry delays (5 s … 10 h); 1 is real time",
      positive,
      0.01,
    )
    .option("--timeout-ms <ms>", "an attempt without a 2xx within this long failed", int, 15_000);
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
