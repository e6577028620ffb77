import type { Express } from "express";
import express from "express";
import type { Logger } from "pino";
import { handleErrors, handleNotFound } from "./http/handle-errors.ts";
import type { Inbox } from "./inbox/inbox.ts";
import type { InspectStore } from "./inbox/inspect-store.ts";
import { createInspectRouter } from "./inspect/create-inspect-router.ts";
import { createWebhookRouter } from "./receive/create-webhook-router.ts";
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
  inspect?: { store: InspectStore; token: string | undefined; trustLoopback?: boolean };
}

/** Builds the HTTP app. Never listens and never reads the environment: `main.ts` does both. */
export function createApp(deps: AppDeps): Express {
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
  app.use(
    createWebhookRouter({
      sources,
      inbox,
      logger,
      bodyLimitBytes: deps.bodyLimitBytes,
      redactHeaders,
      now: deps.now ?? (() => new Date()),
    }),
  );
  if (deps.inspect) {
    app.use(
      createInspectRouter({
        ...deps.inspect,
        sources: sources.map((source) => source.name),
        eventTypes: sources.flatMap((source) => source.eventTypes),
        ...(deps.now ? { now: deps.now } : {}),
      }),
    );
  }
  app.get("/healthz", async (_req, res) => {
    if (await inbox.checkWritable()) {
      res.json({ status: "ok" });
    } else {
      res
        .status(503)
        .json({ code: "inbox_unwritable", message: "The inbox database is not writable." });
    }
  });
  app.use(handleNotFound);
  app.use(handleErrors(logger));
  return app;
}
