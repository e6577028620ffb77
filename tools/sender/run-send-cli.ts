import type { CliOutput } from "../../src/cli/create-cli-program.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { CAPTURI_EVENT_TYPES } from "../../src/sources/capturi/capturi-event.ts";
import { CREDO_EVENT_TYPES } from "../../src/sources/credo/credo-event.ts";
import { createSendProgram } from "./create-send-program.ts";
import { fetchFailuresAsCliErrors } from "./fetch-failures-as-cli-errors.ts";
import { sendDirectly } from "./send-directly.ts";
import type { SendOptions, SendSource } from "./send-options.ts";
import { triggerInSandbox } from "./trigger-in-sandbox.ts";

export interface SendCliDeps extends CliOutput {
  fetch?: typeof globalThis.fetch;
}

/**
 * `npm run send -- <source> <event> [options]`. Resolves with the exit code: 1 when a request got no
 * 2xx (unless a failure was asked for with --bad-signature, --stale-timestamp or --no-token).
 */
export async function runSendCli(argv: readonly string[], deps: SendCliDeps): Promise<number> {
  let exitCode = 0;
  const cliExitCode = await runCli(argv, deps, () =>
    createSendProgram(deps, async (source, event, options) => {
      const ok = await send(source, expandEvent(source, event), options, deps);
      if (!ok && !failureWanted(options)) exitCode = 1;
    }),
  );
  return cliExitCode === 0 ? exitCode : cliExitCode;
}

function send(
  source: SendSource,
  events: string[],
  options: SendOptions,
  deps: SendCliDeps,
): Promise<boolean> {
  // A receiver (or sandbox) that is not running is the user's to fix, not a bug of ours.
  const fetch = fetchFailuresAsCliErrors(deps.fetch ?? globalThis.fetch, describeFetchError);
  return options.viaSandbox
    ? triggerInSandbox(source, events, options, fetch, deps.out)
    : sendDirectly(source, events, options, fetch, deps.out);
}

/** "all" stands for every event type of the source. */
function expandEvent(source: SendSource, event: string): string[] {
  if (event !== "all") return [event];
  return [...(source === "credo" ? CREDO_EVENT_TYPES : CAPTURI_EVENT_TYPES)];
}

function failureWanted(options: SendOptions): boolean {
  return Boolean(options.badSignature || options.staleTimestamp || options.token === false);
}

// fetch hides the reason (ECONNREFUSED …) in `cause`.
function describeFetchError(error: Error): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code}): is the receiver running?` : error.message;
}
