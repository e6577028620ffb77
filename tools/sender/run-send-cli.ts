import { CAPTURI_EVENT_TYPES } from "../../src/sources/capturi/capturi-event.ts";
import { CREDO_EVENT_TYPES } from "../../src/sources/credo/credo-event.ts";
import type { CliOutput } from "./create-cli-program.ts";
import { createSendProgram } from "./create-send-program.ts";
import { runCliProgram } from "./run-cli-program.ts";
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
  const program = createSendProgram(deps, async (source, event, options) => {
    const ok = await send(source, expandEvent(source, event), options, deps);
    if (!ok && !failureWanted(options)) exitCode = 1;
  });
  const parseExitCode = await runCliProgram(program, argv, deps, describeFetchError);
  return parseExitCode === 0 ? exitCode : parseExitCode;
}

function send(
  source: SendSource,
  events: string[],
  options: SendOptions,
  deps: SendCliDeps,
): Promise<boolean> {
  const fetch = deps.fetch ?? globalThis.fetch;
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
