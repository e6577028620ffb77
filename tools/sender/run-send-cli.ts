import { CliError } from "../../src/cli/cli-error.ts";
import type { CliOutput } from "../../src/cli/create-cli-program.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { findLocalReceiver, type LocalReceiver } from "../../src/config/receiver-file.ts";
import { CAPTURI_EVENT_TYPES } from "../../src/sources/capturi/capturi-event.ts";
import { CREDO_EVENT_TYPES } from "../../src/sources/credo/credo-event.ts";
import { createSendProgram } from "./create-send-program.ts";
import { describeFetchFailure, fetchFailuresAsCliErrors } from "./fetch-failures-as-cli-errors.ts";
import { sendDirectly } from "./send-directly.ts";
import type { ResolvedSendOptions, SendOptions, SendSource } from "./send-options.ts";
import { sandboxBaseUrl, triggerInSandbox } from "./trigger-in-sandbox.ts";

export interface SendCliDeps extends CliOutput {
  /** DATA_DIR and PORT, to find the receiver when --target and --data-dir are not given. */
  env?: Record<string, string | undefined>;
  fetch?: typeof globalThis.fetch;
}

/**
 * `npm run send -- <source> <event> [options]`. Resolves with the exit code: 1 when any answer is
 * not the one asked for (a 2xx; a 401 with --bad-signature, --stale-timestamp or --no-token), or
 * when nothing answered.
 */
export function runSendCli(argv: readonly string[], deps: SendCliDeps): Promise<number> {
  return runCli(argv, deps, () =>
    createSendProgram(deps, async (source, event, options) => {
      const events = expandEvent(source, event);
      const statuses = await send(source, events, resolve(options, deps.env ?? {}), deps);
      const expected = expectedAnswer(source, options);
      const unexpected = statuses.filter((status) => !expected.matches(status));
      if (unexpected.length > 0) {
        throw new CliError(
          `${unexpected.length} of ${statuses.length} answers ${unexpected.length === 1 ? "was" : "were"} not ${expected.description}: ${[...new Set(unexpected)].join(", ")}.`,
        );
      }
    }),
  );
}

function resolve(options: SendOptions, env: Record<string, string | undefined>) {
  const dataDir = options.dataDir ?? (env.DATA_DIR?.trim() || "data");
  const receiver: LocalReceiver = options.target
    ? { url: options.target, foundBy: "--target" }
    : findLocalReceiver(dataDir, env);
  return { options: { ...options, dataDir, target: receiver.url }, receiver };
}

function send(
  source: SendSource,
  events: string[],
  { options, receiver }: { options: ResolvedSendOptions; receiver: LocalReceiver },
  deps: SendCliDeps,
): Promise<number[]> {
  if (options.viaSandbox && deliberateFailure(source, options)) {
    throw new CliError(
      "--bad-signature, --stale-timestamp and --no-token apply to direct sends: the sandbox signs and authenticates as the provider does.",
    );
  }
  // A receiver (or sandbox) that is not running is the user's to fix, not a bug of ours.
  const fetchOr = (hint: string) =>
    fetchFailuresAsCliErrors(
      deps.fetch ?? globalThis.fetch,
      (error, url) => `${describeFetchFailure(error, url)}: ${hint}`,
    );
  if (options.viaSandbox) {
    const sandbox = sandboxBaseUrl(options.viaSandbox);
    const fetch = fetchOr(
      `is the sandbox running? (--via-sandbox=<url> names another than ${sandbox})`,
    );
    return triggerInSandbox(source, events, options, fetch, deps.out);
  }
  const fetch = fetchOr(
    `is the receiver running? (URL from ${receiver.foundBy}; --target <url> sends elsewhere)`,
  );
  return sendDirectly(source, events, options, fetch, deps.out);
}

/** "all" stands for every event type of the source. */
function expandEvent(source: SendSource, event: string): string[] {
  if (event !== "all") return [event];
  return [...(source === "credo" ? CREDO_EVENT_TYPES : CAPTURI_EVENT_TYPES)];
}

/** The option that asks for a refusal, if any: Credo AI's are about signing, Capturi's the token. */
function deliberateFailure(source: SendSource, options: SendOptions): string | undefined {
  if (source === "credo" && options.badSignature) return "--bad-signature";
  if (source === "credo" && options.staleTimestamp) return "--stale-timestamp";
  if (source === "capturi" && options.token === false) return "--no-token";
  return undefined;
}

/** The answer the user asked for: the receiver's 401 for a deliberate failure, else a 2xx. */
function expectedAnswer(source: SendSource, options: SendOptions) {
  const flag = deliberateFailure(source, options);
  if (flag) {
    return { matches: (status: number) => status === 401, description: `the 401 ${flag} asks for` };
  }
  return { matches: (status: number) => status >= 200 && status < 300, description: "a 2xx" };
}
