import type { AddressInfo } from "node:net";
import { createSandbox, type Sandbox } from "./create-sandbox.ts";
import { createSandboxProgram, type SandboxCliOptions } from "./create-sandbox-program.ts";
import type { AttemptRecord, DeliveryRecord } from "./deliveries/delivery-record.ts";
import { resolveSandboxOptions } from "./resolve-sandbox-options.ts";

/** `npm run sandbox`: parses the options, builds the sandbox, listens, and stops on SIGINT/SIGTERM. */
export async function runSandboxCli(argv: readonly string[]): Promise<void> {
  const program = createSandboxProgram();
  await program.parseAsync(argv);
  const options = program.opts<SandboxCliOptions>();
  const sandbox = createSandbox({ ...resolveSandboxOptions(options), onAttempt: printAttempt });
  listen(sandbox, options);
}

function listen(sandbox: Sandbox, options: SandboxCliOptions): void {
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
