import { randomBytes } from "node:crypto";
import express, { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import { JSON_API_MEDIA_TYPE } from "../../credo-api/create-credo-client.ts";
import { sendJsonApiError, sendValidationErrors } from "./send-json-api-error.ts";
import type { SubscriptionStore } from "./subscription-store.ts";
import {
  webhookAttributesSchema,
  webhookCreateDocumentSchema,
  webhookUpdateDocumentSchema,
} from "./webhook-attributes-schema.ts";

export interface CredoManagementOptions {
  subscriptions: SubscriptionStore;
  /** The tenant and API token that `/auth/exchange` accepts. */
  tenant: string;
  apiToken: string;
  /** How long an access token lives; Credo AI does not say, so clients must refresh on 401. */
  accessTokenTtlMs: number;
  now: () => number;
}

export interface CredoManagementRouter {
  router: Router;
  /** Expires every access token, as if they had all outlived their lifetime. */
  revokeAccessTokens(): void;
}

const exchangeSchema = z.object({ api_token: z.string(), tenant: z.string() });
const EXCHANGE_MEDIA_TYPES = ["application/json", JSON_API_MEDIA_TYPE];

/** Credo AI's token exchange and JSON:API `/api/v2/{tenant}/webhooks`, as PROVIDERS.md describes. */
export function createCredoManagementRouter(
  options: CredoManagementOptions,
): CredoManagementRouter {
  const { subscriptions } = options;
  const accessTokens = new Map<string, { tenant: string; expiresAtMs: number }>();
  const router = Router();

  // Credo AI's reference Python client sends the JSON:API media type here, and the real API takes it.
  router.post("/auth/exchange", express.json({ type: EXCHANGE_MEDIA_TYPES }), (req, res) => {
    const body = exchangeSchema.safeParse(req.body);
    if (!body.success) return sendValidationErrors(res, body.error);
    if (body.data.api_token !== options.apiToken || body.data.tenant !== options.tenant) {
      return sendJsonApiError(res, 401, "Unauthenticated", "Invalid API token or tenant");
    }
    const token = `sbx_${randomBytes(24).toString("base64url")}`;
    accessTokens.set(token, {
      tenant: body.data.tenant,
      expiresAtMs: options.now() + options.accessTokenTtlMs,
    });
    res.json({ access_token: token });
  });

  const api = Router({ mergeParams: true });
  router.use(
    "/api/v2/:tenant",
    requireAccessToken,
    express.json({ type: JSON_API_MEDIA_TYPE }),
    api,
  );

  api.get("/webhooks", (_req, res) => sendDocument(res, 200, { data: subscriptions.list() }));

  api.post("/webhooks", requireJsonApiBody, (req, res) => {
    const document = webhookCreateDocumentSchema.safeParse(req.body);
    if (!document.success) return sendValidationErrors(res, document.error);
    const webhook = subscriptions.create(withoutUndefined(document.data.data.attributes));
    sendDocument(res, 201, { data: webhook, included: [] });
  });

  api.get("/webhooks/:id", (req, res) => {
    const webhook = subscriptions.get(param(req, "id"));
    if (webhook === undefined) return notFound(res, param(req, "id"));
    sendDocument(res, 200, { data: webhook });
  });

  api.patch("/webhooks/:id", requireJsonApiBody, (req, res) => {
    const id = param(req, "id");
    const current = subscriptions.get(id);
    if (current === undefined) return notFound(res, id);
    const document = webhookUpdateDocumentSchema.safeParse(req.body);
    if (!document.success) return sendValidationErrors(res, document.error);
    if (document.data.data.id !== id) {
      return sendJsonApiError(res, 409, "Id mismatch", "data.id must equal the id in the URL");
    }
    const merged = webhookAttributesSchema.safeParse({
      ...current.attributes,
      ...document.data.data.attributes,
    });
    if (!merged.success) return sendValidationErrors(res, merged.error);
    sendDocument(res, 200, { data: subscriptions.update(id, withoutUndefined(merged.data)) });
  });

  api.delete("/webhooks/:id", (req, res) => {
    if (!subscriptions.delete(param(req, "id"))) return notFound(res, param(req, "id"));
    res.status(204).end();
  });

  router.use("/api/v2/:tenant", (_req: Request, res: Response) =>
    sendJsonApiError(res, 404, "Not found", "No such route in the sandbox's Credo AI API"),
  );
  router.use(jsonApiErrorHandler);

  function requireAccessToken(req: Request, res: Response, next: NextFunction) {
    const header = req.get("authorization") ?? "";
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    if (token === undefined) {
      return sendJsonApiError(
        res,
        401,
        "Unauthenticated",
        "Missing access token: send Authorization: Bearer <access_token> from /auth/exchange",
      );
    }
    const grant = accessTokens.get(token);
    if (grant === undefined || grant.expiresAtMs <= options.now()) {
      return sendJsonApiError(res, 401, "Unauthenticated", "Invalid or expired access token");
    }
    if (grant.tenant !== param(req, "tenant")) {
      return sendJsonApiError(
        res,
        403,
        "Forbidden",
        `The token does not grant access to tenant ${param(req, "tenant")}`,
      );
    }
    next();
  }

  return { router, revokeAccessTokens: () => accessTokens.clear() };
}

function requireJsonApiBody(req: Request, res: Response, next: NextFunction) {
  if (req.is(JSON_API_MEDIA_TYPE)) return next();
  sendJsonApiError(res, 415, "Unsupported Media Type", `Send Content-Type: ${JSON_API_MEDIA_TYPE}`);
}

function sendDocument(res: Response, status: number, document: unknown): void {
  res.status(status).type(JSON_API_MEDIA_TYPE).send(JSON.stringify(document));
}

function notFound(res: Response, id: string): void {
  sendJsonApiError(res, 404, "Not found", `No webhook with id ${id}`);
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? "");
}

// Body-parser failures (malformed JSON, too large) answered in JSON:API form.
function jsonApiErrorHandler(error: unknown, _req: Request, res: Response, next: NextFunction) {
  const status = (error as { status?: number }).status;
  if (typeof status !== "number" || status >= 500) return next(error);
  sendJsonApiError(res, status, "Bad Request", (error as Error).message);
}

// Optional attributes a client left out are not stored as `undefined`.
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
