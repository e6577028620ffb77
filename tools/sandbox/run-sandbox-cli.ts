import type { AddressInfo } from "node:net";
import type { CliOutput } from "../../src/cli/create-cli-program.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { createSandbox, type Sandbox } from "./create-sandbox.ts";
import { createSandboxProgram, type SandboxCliOptions } from "./create-sandbox-program.ts";
import type { AttemptRecord, DeliveryRecord } from "./deliveries/delivery-record.ts";
import { resolveSandboxOptions } from "./resolve-sandbox-options.ts";

/**
 * `npm run sandbox`: parses the options, builds the sandbox, listens, and stops on SIGINT/SIGTERM.
 * Resolves with the exit code once it listens (non-zero for a usage error); the server keeps the
 * process alive.
 */
export function runSandboxCli(argv: readonly string[], output: CliOutput): Promise<number> {
  return runCli(argv, output, () =>
    createSandboxProgram(output, (options) => {
      const sandbox = createSandbox({
        ...resolveSandboxOptions(options),
        onAttempt: (record, attempt) => output.out(formatAttempt(record, attempt)),
      });
      listen(sandbox, options, output);
    }),
  );
}

function listen(sandbox: Sandbox, options: SandboxCliOptions, output: CliOutput): void {
  const server = sandbox.app.listen({ port: options.port, host: options.host }, () => {
    const { port } = server.address() as AddressInfo;
    sandbox.engine.resume();
    // One JSON line for scripts and tests, then the human banner.
    output.out(JSON.stringify({ msg: "sandbox listening", port }));
    output.err(formatBanner(port, options));
  });
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
function formatBanner(port: number, options: SandboxCliOptions): string {
  const base = `http://localhost:${port}`;
  return [
    "",
    `  Sandbox on ${base}, state in ${options.stateDir}/, retry scale ${options.retryScale}`,
    `  Credo AI API    CREDO_API_URL=${base} CREDO_TENANT=${options.tenant} CREDO_API_TOKEN=${options.apiToken}`,
    `  Capturi API     CAPTURI_API_URL=${base}/capturi  (for the receiver)`,
    `  Trigger         curl -X POST ${base}/trigger -H 'content-type: application/json' -d '{"source":"capturi","event":"ConversationProcessed"}'`,
    `  Delivery log    ${base}/deliveries`,
  ].join("\n");
}
