import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { capturiFixtures } from "../test/fixtures/index.ts";

/**
 * Capturi's Integration API as the worker's handlers meet it: every conversation answered after
 * `delayMs`, like a remote API 50 ms away. Loopback only.
 */
export async function startIntegrationApiStandIn(delayMs: number) {
  const conversation = capturiFixtures.conversationProcessedFull.entity;
  const server = createServer((req, res) => {
    const uid = /\/integrations\/conversations\/([^/?]+)/.exec(req.url ?? "")?.[1];
    setTimeout(() => {
      if (!uid) return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...conversation, uid }));
    }, delayMs);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/audio`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
