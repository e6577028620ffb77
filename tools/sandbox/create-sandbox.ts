import path from "node:path";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { createConversationStore } from "./capturi/conversation-store.ts";
import { createIntegrationApiRouter } from "./capturi/create-integration-api-router.ts";
import { createCredoManagementRouter } from "./credo/create-credo-management-router.ts";
import { createSubscriptionStore, type SubscriptionStore } from "./credo/subscription-store.ts";
import { createDeliveriesRouter } from "./deliveries/create-deliveries-router.ts";
import { createDeliveryEngine, type DeliveryEngine } from "./deliveries/create-delivery-engine.ts";
import { createDeliveryLog, type DeliveryLog } from "./deliveries/delivery-log.ts";
import type { AttemptRecord, DeliveryRecord } from "./deliveries/delivery-record.ts";
import {
  CAPTURI_RETRY_DELAYS_MS,
  SVIX_RETRY_DELAYS_MS,
  scaleDelays,
} from "./deliveries/retry-schedules.ts";
import { sendError } from "./send-error.ts";
import type { CapturiWebhookConfig } from "./trigger/capturi-webhook-config.ts";
import { createTriggerRouter } from "./trigger/create-trigger-router.ts";

export interface SandboxOptions {
  /** Where subscriptions, the delivery log and generated conversations are kept; null: memory only. */
  stateDir: string | null;
  credo: {
    /** The tenant and API token the sandbox's `/auth/exchange` accepts. */
    tenant: string;
    apiToken: string;
    accessTokenTtlMs: number;
    /** Signs every delivery: the receiver's `whsec_…` secret. */
    signingSecret: string;
  };
  capturi: {
    webhooks: CapturiWebhookConfig[];
    /** Required in `Authorization` by the Integration API when set. */
    integrationToken: string | null;
  };
  /** Multiplies every retry delay: `0.001` turns Svix's 10 h into 36 s. */
  retryScale: number;
  /** A delivery without a 2xx within this long failed (Svix: 15 s). */
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
  onAttempt?: (record: DeliveryRecord, attempt: AttemptRecord) => void;
}

export interface Sandbox {
  /** The HTTP app; never listens. Call `engine.resume()` once it does, to resume pending retries. */
  app: Express;
  engine: DeliveryEngine;
  log: DeliveryLog;
  subscriptions: SubscriptionStore;
  /** Expires every Credo AI access token, so that clients must exchange again. */
  revokeAccessTokens(): void;
  /** Stops retrying and writes the state. */
  stop(): void;
}

/** One process that plays Credo AI and Capturi against a receiver. */
export function createSandbox(options: SandboxOptions): Sandbox {
  const now = options.now ?? (() => new Date());
  const stateFile = (name: string) =>
    options.stateDir === null ? null : path.join(options.stateDir, name);
  const subscriptions = createSubscriptionStore(stateFile("subscriptions.json"));
  const conversations = createConversationStore(stateFile("conversations.json"));
  const log = createDeliveryLog(stateFile("deliveries.json"));
  const engine = createDeliveryEngine({
    log,
    fetch: options.fetch ?? globalThis.fetch,
    signingSecret: options.credo.signingSecret,
    timeoutMs: options.timeoutMs,
    now,
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  });
  const management = createCredoManagementRouter({
    subscriptions,
    tenant: options.credo.tenant,
    apiToken: options.credo.apiToken,
    accessTokenTtlMs: options.credo.accessTokenTtlMs,
    now: () => now().getTime(),
  });

  const app = express();
  app.disable("x-powered-by");
  app.use(management.router);
  app.use(
    "/capturi",
    createIntegrationApiRouter({ conversations, token: options.capturi.integrationToken }),
  );
  app.get("/capturi/webhooks", (_req, res) => {
    res.json({
      webhooks: options.capturi.webhooks.map(({ headers, ...rest }) => ({
        ...rest,
        headers: Object.keys(headers),
      })),
    });
  });
  app.use(
    createTriggerRouter({
      subscriptions,
      conversations,
      engine,
      capturiWebhooks: options.capturi.webhooks,
      retryDelaysMs: {
        credo: scaleDelays(SVIX_RETRY_DELAYS_MS, options.retryScale),
        capturi: scaleDelays(CAPTURI_RETRY_DELAYS_MS, options.retryScale),
      },
    }),
  );
  app.use(createDeliveriesRouter(log, engine));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use((req: Request, res: Response) =>
    sendError(res, 404, "not_found", `No route ${req.method} ${req.path} in the sandbox`),
  );
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (typeof status === "number" && status < 500) {
      return sendError(res, status, "bad_request", (error as Error).message);
    }
    sendError(res, 500, "internal_error", "The sandbox failed; see its log.");
  });

  return {
    app,
    engine,
    log,
    subscriptions,
    revokeAccessTokens: management.revokeAccessTokens,
    stop: () => engine.stop(),
  };
}
