import type { Express } from "express";
import express from "express";
import type { Logger } from "pino";
import proxyAddr from "proxy-addr";
import { handleErrors, handleNotFound } from "./http/handle-errors.ts";
import { requestIdOf } from "./http/request-id.ts";
import type { Inbox } from "./inbox/inbox.ts";
import type { InspectStore } from "./inbox/inspect-store.ts";
import { createInspectRouter } from "./inspect/create-inspect-router.ts";
import type { Metrics } from "./operations/create-metrics.ts";
import { createOperationsRouter } from "./operations/create-operations-router.ts";
import { createReadiness, type Readiness } from "./operations/create-readiness.ts";
import { createWebhookHandler, type WebhookHandler } from "./receive/create-webhook-handler.ts";
import { ALWAYS_SECRET_HEADERS, createHeaderRedactor } from "./receive/redact-headers.ts";
import type { Source } from "./sources/source.ts";

export interface AppDeps {
  inbox: Inbox;
  sources: readonly Source[];
  logger: Logger;
  bodyLimitBytes: number;
  /** The clock used for receipt times and signature tolerance; tests move it. */
  now?: () => Date;
  /** Mounts the inspect pages at `/inspect` (loopback only unless a token is set). */
  inspect?: {
    store: InspectStore;
    token: string | undefined;
    trustLoopback?: boolean;
    /** Development secrets by source, for "Copy as curl" (see `InspectRouterOptions`). */
    developmentSigningSecrets?: Readonly<Record<string, string>>;
  };
  /** `/readyz`'s state; by default one over `inbox.checkWritable`, never draining. */
  readiness?: Readiness;
  /** Counts deliveries as they are answered and serves `/metrics`; absent: no metrics. */
  metrics?: Metrics;
  /**
   * Express's `trust proxy` (TRUST_PROXY): which proxies' `X-Forwarded-*` to believe for the
   * client's address in logs and for `req.secure` (the inspect cookie's Secure flag). The
   * loopback rule of `/inspect` never uses it: it looks at the socket's own peer.
   */
  trustProxy?: boolean | number | string;
}

/**
 * The Express app with the webhook handler mounted, and that handler on its own: the HTTP server
 * (`createHttpServer`) calls `webhooks` first and gives the app only what it does not serve.
 */
export type ReceiverApp = Express & { readonly webhooks: WebhookHandler };

/** Builds the HTTP app. Never listens and never reads the environment: `main.ts` does both. */
export function createApp(deps: AppDeps): ReceiverApp {
  const { inbox, sources, logger } = deps;
  // Compiled once: each request's headers are redacted by name and by configured secret value.
  const redactHeaders = createHeaderRedactor({
    names: [...ALWAYS_SECRET_HEADERS, ...sources.flatMap((source) => source.secretHeaders)],
    values: sources.flatMap((source) => source.secretValues ?? []),
  });

  const app = express();
  app.disable("x-powered-by");
  // Webhook answers and API responses are never cached; hashing each body for an ETag is waste.
  app.disable("etag");
  app.set("trust proxy", deps.trustProxy ?? false);
  // Every answer carries its request id, and every log line of the request says it.
  app.use((req, res, next) => {
    requestIdOf(req, res);
    next();
  });
  const webhooks = createWebhookHandler({
    sources,
    inbox,
    logger,
    bodyLimitBytes: deps.bodyLimitBytes,
    redactHeaders,
    now: deps.now ?? (() => new Date()),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    // What Express's req.ip says, for requests that never reach Express.
    clientAddress: (req) => proxyAddr(req, app.get("trust proxy fn")),
  });
  app.use(webhooks);
  if (deps.inspect) {
    app.use(
      createInspectRouter({
        ...deps.inspect,
        sources: sources.map((source) => source.name),
        eventTypes: sources.flatMap((source) => source.eventTypes),
        tokenHeaders: Object.fromEntries(
          sources.flatMap((source) =>
            source.tokenHeader ? [[source.name, source.tokenHeader]] : [],
          ),
        ),
        ...(deps.now ? { now: deps.now } : {}),
      }),
    );
  }
  app.use(
    createOperationsRouter({
      readiness:
        deps.readiness ?? createReadiness({ checkWritable: () => inbox.checkWritable(), logger }),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      access: {
        token: deps.inspect?.token,
        trustLoopback: deps.inspect?.trustLoopback ?? true,
      },
    }),
  );
  app.use(handleNotFound);
  app.use(handleErrors(logger));
  return Object.assign(app, { webhooks });
}
