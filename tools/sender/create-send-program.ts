import { type Command, InvalidArgumentError, Option } from "commander";
import { type CliOutput, createCliProgram } from "../../src/cli/create-cli-program.ts";
import { CAPTURI_EVENT_TYPES } from "../../src/sources/capturi/capturi-event.ts";
import type { SendOptions, SendSource } from "./send-options.ts";
import { DEFAULT_SANDBOX_URL } from "./trigger-in-sandbox.ts";

export type SendAction = (source: SendSource, event: string, options: SendOptions) => Promise<void>;

/** The `send` command line: `<source> <event> [options]`, running `action` once parsed. */
export function createSendProgram(output: CliOutput, action: SendAction): Command {
  const program = createCliProgram("send", output)
    .description(
      "Send realistic test deliveries to a receiver, signed with its development secrets, or trigger them in the sandbox.",
    )
    .argument("<source>", "capturi or credo", parseSource)
    .argument(
      "<event>",
      `an event name, or "all" (Capturi: ${CAPTURI_EVENT_TYPES.join(", ")}; Credo AI: use_case_…)`,
    );
  addDeliveryOptions(program);
  addPayloadOptions(program);
  addCredentialOptions(program);
  return program
    .option(
      "--via-sandbox [url]",
      `ask the sandbox to send it (signed, retried, logged) instead; default ${DEFAULT_SANDBOX_URL}`,
    )
    .addHelpText(
      "after",
      `
The receiver: --target, else the running receiver recorded in <data-dir>/receiver.json, else
http://localhost:$PORT (3000 without PORT).

Exit status: 0 when every answer is the one asked for: a 2xx, or a 401 with --bad-signature,
--stale-timestamp or --no-token (the refusal they provoke; a 2xx then means the receiver did not
check). 1 for any other answer, or when nothing answers.`,
    )
    .action(action);
}

/** Where to, how many, and which id. */
function addDeliveryOptions(program: Command): void {
  program
    .option("--target <url>", "the receiver's base URL (default: the running receiver, see below)")
    .option(
      "--count <n>",
      "how many events (each with a fresh id unless --event-id)",
      positiveInt,
      1,
    )
    .option(
      "--event-id <id>",
      "a fixed svix-id (Credo AI) or eventUid (Capturi), to try duplicates",
    );
}

/** How each source shapes, sends and signs the body. */
function addPayloadOptions(program: Command): void {
  program
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
    );
}

/** The receiver's secrets: given, or read from its development secrets. */
function addCredentialOptions(program: Command): void {
  program
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
    .option("--data-dir <dir>", "the receiver's DATA_DIR (default: $DATA_DIR, or data)");
}

function parseSource(value: string): SendSource {
  if (value === "capturi" || value === "credo") return value;
  throw new InvalidArgumentError("Expected capturi or credo.");
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError("Expected a whole number above 0.");
  return parsed;
}
