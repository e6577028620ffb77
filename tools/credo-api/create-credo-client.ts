import createClient from "openapi-fetch";
import type { components, paths } from "../../src/generated/credo-ai-api.ts";
import { toCredoApiError } from "./credo-api-error.ts";

export type Webhook = components["schemas"]["Webhook"];
/** As the API returns them: unset optional attributes are `null`. */
export type WebhookAttributes = components["schemas"]["WebhookAttributes"];
/** What a create sends: unset attributes are left out, never `null`. */
export type NewWebhookAttributes = components["schemas"]["NewWebhookAttributes"];
/** What an update sends: only the attributes that change. */
export type WebhookAttributesPatch = components["schemas"]["WebhookAttributesPatch"];

/** JSON:API's media type, for both `Content-Type` and `Accept`. */
export const JSON_API_MEDIA_TYPE = "application/vnd.api+json";

export interface CredoClientOptions {
  /** The host root, e.g. `https://api.credo.ai`: it serves `/auth/exchange` and `/api/v2/{tenant}`. */
  baseUrl: string;
  tenant: string;
  /** Exchanged for a short-lived access token; never sent anywhere else, never logged. */
  apiToken: string;
  fetch?: typeof globalThis.fetch;
}

/** The webhook subscriptions of one tenant. Every method throws `CredoApiError` on a non-2xx. */
export interface CredoClient {
  listWebhooks(): Promise<Webhook[]>;
  getWebhook(id: string): Promise<Webhook>;
  createWebhook(attributes: NewWebhookAttributes): Promise<Webhook>;
  /** JSON:API PATCH: the attributes left out keep their values. */
  updateWebhook(id: string, changes: WebhookAttributesPatch): Promise<Webhook>;
  deleteWebhook(id: string): Promise<void>;
}

export function createCredoClient(options: CredoClientOptions): CredoClient {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const exchange = createClient<paths>({ baseUrl, fetch: baseFetch });

  async function exchangeToken(): Promise<string> {
    const { data, error, response } = await exchange.POST("/auth/exchange", {
      body: { api_token: options.apiToken, tenant: options.tenant },
    });
    if (data === undefined) throw toCredoApiError("token exchange", response.status, error);
    return data.access_token;
  }

  const api = createClient<paths>({
    baseUrl,
    fetch: createAuthenticatedFetch(baseFetch, exchangeToken),
  });
  const tenant = { path: { tenant: options.tenant } };
  const byId = (id: string) => ({ path: { tenant: options.tenant, id } });

  return {
    async listWebhooks() {
      const { data, error, response } = await api.GET("/api/v2/{tenant}/webhooks", {
        params: tenant,
      });
      if (data === undefined) throw toCredoApiError("list webhooks", response.status, error);
      return data.data;
    },
    async getWebhook(id) {
      const { data, error, response } = await api.GET("/api/v2/{tenant}/webhooks/{id}", {
        params: byId(id),
      });
      if (data === undefined) throw toCredoApiError(`get webhook ${id}`, response.status, error);
      return data.data;
    },
    async createWebhook(attributes) {
      const { data, error, response } = await api.POST("/api/v2/{tenant}/webhooks", {
        params: tenant,
        body: { data: { type: "webhook", attributes } },
      });
      if (data === undefined) throw toCredoApiError("create webhook", response.status, error);
      return data.data;
    },
    async updateWebhook(id, changes) {
      const { data, error, response } = await api.PATCH("/api/v2/{tenant}/webhooks/{id}", {
        params: byId(id),
        body: { data: { id, type: "webhook", attributes: changes } },
      });
      if (data === undefined) throw toCredoApiError(`update webhook ${id}`, response.status, error);
      return data.data;
    },
    async deleteWebhook(id) {
      const { error, response } = await api.DELETE("/api/v2/{tenant}/webhooks/{id}", {
        params: byId(id),
      });
      if (!response.ok) throw toCredoApiError(`delete webhook ${id}`, response.status, error);
    },
  };
}

/**
 * A `fetch` that speaks JSON:API with a Bearer token: it exchanges the API token on first use and,
 * because the token's lifetime is undocumented, exchanges it again once when a call answers 401.
 */
function createAuthenticatedFetch(
  baseFetch: typeof globalThis.fetch,
  exchangeToken: () => Promise<string>,
): typeof globalThis.fetch {
  let accessToken: Promise<string> | null = null;
  const send = async (request: Request, token: string) => {
    request.headers.set("Authorization", `Bearer ${token}`);
    request.headers.set("Accept", JSON_API_MEDIA_TYPE);
    // openapi-fetch defaults to application/json; JSON:API servers answer 415 to that.
    if (request.body !== null) request.headers.set("Content-Type", JSON_API_MEDIA_TYPE);
    return baseFetch(request);
  };
  return async (input, init) => {
    const request = new Request(input, init);
    const spare = request.clone();
    accessToken ??= exchangeToken();
    const current = accessToken;
    const response = await send(request, await current.catch(forget(current)));
    if (response.status !== 401) return response;
    // Another call may already have refreshed it; exchange only if nobody did.
    if (accessToken === current) accessToken = exchangeToken();
    return send(spare, await accessToken.catch(forget(accessToken)));
  };

  function forget(failed: Promise<string>) {
    return (error: unknown): never => {
      // A failed exchange must not be cached: the next call tries again.
      if (accessToken === failed) accessToken = null;
      throw error;
    };
  }
}
