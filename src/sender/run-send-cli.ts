import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { loadOrCreateDevSecrets } from "../config/dev-secrets.ts";
import { CAPTURI_EVENT_TYPES } from "../sources/capturi/capturi-event.ts";
import { CREDO_EVENT_TYPES } from "../sources/credo/credo-event.ts";
import {
  buildCapturiDelivery,
  buildCredoDelivery,
  type TestDelivery,
} from "./build-test-delivery.ts";

export interface SendCliDeps {
  out: (line: string) => void;
  err: (line: string) => void;
  fetch?: typeof globalThis.fetch;
}

interface SendOptions {
  target: string;
  count: number;
  eventId?: string;
  mode?: "uid" | "full";
  casing?: "camel" | "pascal";
  method: "POST" | "PUT" | "PATCH";
  prefix?: string;
  suffix?: string;
  badSignature?: boolean;
  staleTimestamp?: boolean;
  token?: string | false;
  tokenHeader: string;
  secret?: string;
  dataDir: string;
  viaSandbox?: string | true;
}

export const DEFAULT_SANDBOX_URL = "http://localhost:4000";

/**
 * `npm run send -- <source> <event> [options]`. Resolves with the exit code: 1 when a request got no
 * 2xx (unless a failure was asked for with --bad-signature, --stale-timestamp or --no-token).
 */
export async function runSendCli(argv: readonly string[], deps: SendCliDeps): Promise<number> {
  let exitCode = 0;
  const program = new Command("send")
    .description(
      "Send realistic test deliveries to a receiver, signed with its development secrets, or trigger them in the sandbox.",
    )
    .argument("<source>", "capturi or credo", parseSource)
    .argument(
      "<event>",
      `an event name, or "all" (Capturi: ${CAPTURI_EVENT_TYPES.join(", ")}; Credo AI: use_case_…)`,
    )
    .option("--target <url>", "the receiver's base URL", "http://localhost:3000")
    .option(
      "--count <n>",
      "how many events (each with a fresh id unless --event-id)",
      positiveInt,
      1,
    )
    .option(
      "--event-id <id>",
      "a fixed svix-id (Credo AI) or eventUid (Capturi), to try duplicates",
    )
    .addOption(
      new Option(
        "--mode <mode>",
        "Capturi payload type (default uid; live summaries are always full)",
      ).choices(["uid", "full"]),
    )
    .addOption(
      new Option("--casing <casing>", "Capturi body casing (default camel)").choices([
        "camel",
        "pascal",
      ]),
    )
    .addOption(
      new Option("--method <method>", "Capturi HTTP method")
        .choices(["POST", "PUT", "PATCH"])
        .default("POST"),
    )
    .option("--prefix <prefix>", 'Credo AI event_type_prefix (default CredoAI; "" for none)')
    .option("--suffix <suffix>", 'Credo AI event_type_suffix (default v1; "" for none)')
    .option("--bad-signature", "Credo AI: sign with a wrong secret, to see signature_mismatch")
    .option(
      "--stale-timestamp",
      "Credo AI: sign as of 10 minutes ago, to see timestamp_outside_tolerance",
    )
    .option(
      "--secret <whsec>",
      "Credo AI signing secret (default: the receiver's, from <data-dir>/dev-secrets.json)",
    )
    .option(
      "--token <token>",
      "Capturi header token (default: the receiver's, from <data-dir>/dev-secrets.json)",
    )
    .option("--no-token", "Capturi: send no token, to see missing_token")
    .option("--token-header <name>", "the header that carries the Capturi token", "Authorization")
    .option("--data-dir <dir>", "the receiver's DATA_DIR", "data")
    .option(
      "--via-sandbox [url]",
      `ask the sandbox to send it (signed, retried, logged) instead; default ${DEFAULT_SANDBOX_URL}`,
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.out(text.trimEnd()),
      writeErr: (text) => deps.err(text.trimEnd()),
    })
    .showHelpAfterError()
    .action(async (source: "capturi" | "credo", event: string, options: SendOptions) => {
      const events =
        event === "all"
          ? [...(source === "credo" ? CREDO_EVENT_TYPES : CAPTURI_EVENT_TYPES)]
          : [event];
      const fetch = deps.fetch ?? globalThis.fetch;
      const ok = options.viaSandbox
        ? await triggerInSandbox(source, events, options, fetch, deps)
        : await sendDirectly(source, events, options, fetch, deps);
      const failureWanted =
        options.badSignature || options.staleTimestamp || options.token === false;
      if (!ok && !failureWanted) exitCode = 1;
    });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    deps.err(`error: ${error instanceof Error ? describe(error) : String(error)}`);
    return 1;
  }
}

async function sendDirectly(
  source: "capturi" | "credo",
  events: string[],
  options: SendOptions,
  fetch: typeof globalThis.fetch,
  deps: SendCliDeps,
): Promise<boolean> {
  const secrets = () => loadOrCreateDevSecrets(options.dataDir);
  const secret = source === "credo" ? (options.secret ?? secrets().credoWebhookSecret) : "";
  const token =
    source === "capturi" && options.token !== false
      ? (options.token ?? secrets().capturiToken)
      : null;
  let allOk = true;
  for (const event of events) {
    for (let i = 0; i < options.count; i++) {
      const delivery: TestDelivery =
        source === "credo"
          ? buildCredoDelivery({
              target: options.target,
              event,
              secret,
              prefix: options.prefix ?? null,
              suffix: options.suffix ?? null,
              ...(options.eventId ? { messageId: options.eventId } : {}),
              badSignature: Boolean(options.badSignature),
              staleTimestamp: Boolean(options.staleTimestamp),
            })
          : buildCapturiDelivery({
              target: options.target,
              event,
              token,
              tokenHeader: options.tokenHeader,
              method: options.method,
              ...(options.mode ? { mode: options.mode } : {}),
              ...(options.casing ? { casing: options.casing } : {}),
              ...(options.eventId ? { eventUid: options.eventId } : {}),
            });
      deps.out(`→ ${delivery.method} ${delivery.url}  ${source} ${event}  ${delivery.key}`);
      const response = await fetch(delivery.url, {
        method: delivery.method,
        headers: delivery.headers,
        body: delivery.body,
      });
      deps.out(`← ${response.status} ${await response.text()}`);
      allOk &&= response.ok;
    }
  }
  return allOk;
}

async function triggerInSandbox(
  source: "capturi" | "credo",
  events: string[],
  options: SendOptions,
  fetch: typeof globalThis.fetch,
  deps: SendCliDeps,
): Promise<boolean> {
  const sandbox = (
    options.viaSandbox === true ? DEFAULT_SANDBOX_URL : String(options.viaSandbox)
  ).replace(/\/+$/, "");
  let allOk = true;
  for (const event of events) {
    const body = {
      source,
      event,
      count: options.count,
      ...(options.eventId ? { eventId: options.eventId } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.casing ? { casing: options.casing } : {}),
    };
    deps.out(`→ POST ${sandbox}/trigger  ${source} ${event}`);
    const response = await fetch(`${sandbox}/trigger`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    deps.out(`← ${response.status} ${await response.text()}`);
    allOk &&= response.ok;
  }
  deps.out(`The sandbox delivers in the background; see ${sandbox}/deliveries for every attempt.`);
  return allOk;
}

function parseSource(value: string): "capturi" | "credo" {
  if (value === "capturi" || value === "credo") return value;
  throw new InvalidArgumentError("Expected capturi or credo.");
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError("Expected a whole number above 0.");
  return parsed;
}

// fetch hides the reason (ECONNREFUSED …) in `cause`.
function describe(error: Error): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code}): is the receiver running?` : error.message;
}
