import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createSandbox,
  type Sandbox,
  type SandboxOptions,
} from "../../tools/sandbox/create-sandbox.ts";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "./create-test-receiver.ts";

export const SANDBOX_TENANT = "acme";
export const SANDBOX_API_TOKEN = "credo-api-token-for-tests";

export interface SandboxServer {
  sandbox: Sandbox;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real sandbox app, in memory, listening on a free loopback port. */
export async function startSandboxServer(
  overrides: Partial<SandboxOptions> = {},
): Promise<SandboxServer> {
  const sandbox = createSandbox({
    stateDir: null,
    credo: {
      tenant: SANDBOX_TENANT,
      apiToken: SANDBOX_API_TOKEN,
      accessTokenTtlMs: 60_000,
      signingSecret: TEST_CREDO_SECRET,
    },
    capturi: { webhooks: [], integrationToken: TEST_CAPTURI_TOKEN },
    retryScale: 0.001,
    timeoutMs: 2000,
    ...overrides,
  });
  const server = await listen(sandbox.app);
  sandbox.engine.resume();
  return {
    sandbox,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      sandbox.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function listen(app: Sandbox["app"]): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
}
