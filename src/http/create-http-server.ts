import { createServer, type RequestListener, type Server } from "node:http";
import type { Express } from "express";
import type { WebhookHandler } from "../receive/create-webhook-handler.ts";

export interface HttpServerOptions {
  /** The whole request, headers and body, must arrive within this; slower clients get 408. */
  requestTimeoutMs?: number;
  /** The headers must arrive within this (slowloris); must not exceed `requestTimeoutMs`. */
  headersTimeoutMs?: number;
  /** Larger request headers are refused with 431 before any route runs. */
  maxHeaderSizeBytes?: number;
}

/** Providers give up after 10-15 s, so nobody legitimate needs longer than this. */
export const REQUEST_TIMEOUT_MS = 30_000;
export const HEADERS_TIMEOUT_MS = 10_000;
/** Node's default; webhook headers are a few hundred bytes. */
export const MAX_HEADER_SIZE_BYTES = 16 * 1024;

/**
 * The Node HTTP server around the app, with the limits that keep slow or hostile clients from
 * holding connections. An app that carries a `webhooks` handler (`createApp`'s) has it called
 * first: webhook requests never pass through Express's router, everything else does.
 */
export function createHttpServer(
  app: Express & { webhooks?: WebhookHandler },
  options: HttpServerOptions = {},
): Server {
  const { webhooks } = app;
  const listener: RequestListener = webhooks
    ? (req, res) => webhooks(req, res, () => app(req, res))
    : app;
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const headersTimeout = Math.min(options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, requestTimeout);
  return createServer(
    {
      requestTimeout,
      headersTimeout,
      maxHeaderSize: options.maxHeaderSizeBytes ?? MAX_HEADER_SIZE_BYTES,
      // Node checks the timeouts above only this often (30 s by default), so a slow client could
      // otherwise hold a connection for up to twice the timeout.
      connectionsCheckingInterval: Math.max(100, Math.min(headersTimeout / 4, 5_000)),
    },
    listener,
  );
}
