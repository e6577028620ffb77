import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CliError } from "../../src/cli/cli-error.ts";
import type { CliOutput } from "../../src/cli/create-cli-program.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import type { LocalReceiver } from "../../src/config/receiver-file.ts";
import { describeListenError } from "../../src/http/describe-listen-error.ts";
import { listen } from "../../src/http/listen.ts";
import { createSandbox, type Sandbox } from "./create-sandbox.ts";
import {
  createSandboxProgram,
  DEFAULT_SANDBOX_PORT,
  type SandboxCliOptions,
} from "./create-sandbox-program.ts";
import type { AttemptRecord, DeliveryRecord } from "./deliveries/delivery-record.ts";
import { resolveSandboxOptions } from "./resolve-sandbox-options.ts";

/**
 * `npm run sandbox`: parses the options, builds the sandbox, listens, and stops on SIGINT/SIGTERM.
 * Resolves with the exit code once it listens (non-zero for a usage error or a port it cannot
 * take); the server keeps the process alive.
 */
export function runSandboxCli(argv: readonly string[], deps: SandboxCliDeps): Promise<number> {
  return runCli(argv, deps, () =>
    createSandboxProgram(deps, async (options) => {
      const resolved = resolveSandboxOptions(options, deps.env);
      const sandbox = createSandbox({
        ...resolved.sandbox,
        onAttempt: (record, attempt) => deps.out(formatAttempt(record, attempt)),
      });
      await listenAndServe(sandbox, options, resolved.receiver, deps);
    }),
  );
}

export interface SandboxCliDeps extends CliOutput {
  /** DATA_DIR and PORT, to find the receiver when --receiver is not given. */
  env: Record<string, string | undefined>;
}

async function listenAndServe(
  sandbox: Sandbox,
  options: SandboxCliOptions,
  receiver: LocalReceiver,
  output: CliOutput,
): Promise<void> {
  const server = createServer(sandbox.app);
  await listen(server, { port: options.port, host: options.host }).catch((error: unknown) => {
    sandbox.stop();
    const next = options.port === 0 ? DEFAULT_SANDBOX_PORT : options.port + 1;
    const taken = describeListenError(
      error,
      options.port,
      `choose another with --port, e.g. npm run sandbox -- --port ${next}`,
    );
    throw taken ? new CliError(taken, { cause: error }) : error;
  });
  const { port } = server.address() as AddressInfo;
  sandbox.engine.resume();
  // One JSON line for scripts and tests, then the human banner.
  output.out(JSON.stringify({ msg: "sandbox listening", port }));
  output.err(formatBanner(port, options, receiver));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      sandbox.stop();
      server.close();
      server.closeAllConnections();
    });
  }
}

function formatAttempt(record: DeliveryRecord, attempt: AttemptRecord): string {
  const outcome = attempt.status === null ? attempt.error : String(attempt.status);
  const next =
    record.nextAttemptAtMs === null
      ? record.status
      : `retry at ${new Date(record.nextAttemptAtMs).toISOString()}`;
  return `${attempt.startedAt} ${record.source} ${record.event} ${record.messageId} #${attempt.number} → ${record.url} ${outcome} (${attempt.durationMs} ms) ${next}`;
}

/** Starts with an empty line, to stand apart from the JSON line above it. */
function formatBanner(port: number, options: SandboxCliOptions, receiver: LocalReceiver): string {
  const base = `http://localhost:${port}`;
  return [
    "",
    `  Sandbox on ${base}, state in ${options.stateDir}/, retry scale ${options.retryScale}`,
    `  Receiver        ${receiver.url}  (from ${receiver.foundBy}; --receiver sets another)`,
    `  Credo AI API    CREDO_API_URL=${base} CREDO_TENANT=${options.tenant} CREDO_API_TOKEN=${options.apiToken}`,
    `  Capturi API     CAPTURI_API_URL=${base}/capturi  (for the receiver)`,
    `  Trigger         curl -X POST ${base}/trigger -H 'content-type: application/json' -d '{"source":"capturi","event":"ConversationProcessed"}'`,
    `  Delivery log    ${base}/deliveries`,
  ].join("\n");
}
