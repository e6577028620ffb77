import { createServer, type Server } from "node:http";
import type { Express } from "express";

/**
 * The Node HTTP server around the app, with the limits that keep slow or hostile clients from
 * holding connections: providers give up after 10-15 s, so nobody legitimate needs longer.
 */
export function createHttpServer(app: Express): Server {
  const server = createServer(app);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}
