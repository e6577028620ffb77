import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import type { components } from "../../../src/generated/credo-ai-api.ts";
import {
  type CredoClient,
  createCredoClient,
  JSON_API_MEDIA_TYPE,
  type NewWebhookAttributes,
} from "../../../tools/credo-api/create-credo-client.ts";
import { CredoApiError, type JsonApiErrorEntry } from "../../../tools/credo-api/credo-api-error.ts";
import {
  type LoopbackReceiver,
  startLoopbackReceiver,
} from "../../helpers/start-loopback-receiver.ts";
import {
  SANDBOX_API_TOKEN,
  SANDBOX_TENANT,
  type SandboxServer,
  startSandboxServer,
} from "../../helpers/start-sandbox-server.ts";

const attributes: NewWebhookAttributes = {
  description: "webhook-inbox: use case reviews",
  url: "https://inbox.example.com/webhooks/credo",
  event_types: ["use_case_review_status_updated", "use_case_review_comment"],
  authentication_method: "none",
  event_type_prefix: "CredoAI",
  event_type_suffix: "v1",
};

/** Records every request the client makes, and passes it on unchanged. */
function recordingFetch() {
  const requests: { method: string; url: string; headers: Headers }[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push({
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
    });
    return globalThis.fetch(request);
  };
  return { fetch, requests };
}

describe("createCredoClient against the sandbox's management API", () => {
  let server: SandboxServer;
  let recorder: ReturnType<typeof recordingFetch>;
  let client: CredoClient;

  beforeEach(async () => {
    server = await startSandboxServer();
    recorder = recordingFetch();
    client = createCredoClient({
      baseUrl: server.baseUrl,
      tenant: SANDBOX_TENANT,
      apiToken: SANDBOX_API_TOKEN,
      fetch: recorder.fetch,
    });
  });
  afterEach(() => server.close());

  it("exchanges the API token once, then sends the access token as Bearer with the JSON:API media type", async () => {
    const created = await client.createWebhook(attributes);
    await client.listWebhooks();

    const [exchange, create, list] = recorder.requests;
    expect(recorder.requests).toHaveLength(3);
    expect(exchange?.url).toBe(`${server.baseUrl}/auth/exchange`);
    expect(create?.method).toBe("POST");
    expect(create?.headers.get("authorization")).toMatch(/^Bearer sbx_/);
    expect(create?.headers.get("content-type")).toBe(JSON_API_MEDIA_TYPE);
    expect(create?.headers.get("accept")).toBe(JSON_API_MEDIA_TYPE);
    expect(list?.headers.get("authorization")).toBe(create?.headers.get("authorization"));
    expect(created).toMatchObject({ type: "webhook", attributes });
    expect(created.id).toHaveLength(22);
  });

  it("creates, reads, updates, lists and deletes a webhook", async () => {
    const created = await client.createWebhook(attributes);
    expect(await client.getWebhook(created.id)).toEqual(created);

    const updated = await client.updateWebhook(created.id, {
      url: "https://new.example.com/webhooks/credo",
    });
    expect(updated.attributes).toEqual({
      ...attributes,
      url: "https://new.example.com/webhooks/credo",
    });
    expect(await client.listWebhooks()).toEqual([updated]);

    await client.deleteWebhook(created.id);
    expect(await client.listWebhooks()).toEqual([]);
  });

  it("exchanges the token again, once, when a call answers 401", async () => {
    await client.listWebhooks();
    server.sandbox.revokeAccessTokens();

    await client.listWebhooks();

    const paths = recorder.requests.map((request) => new URL(request.url).pathname);
    expect(paths).toEqual([
      "/auth/exchange",
      `/api/v2/${SANDBOX_TENANT}/webhooks`,
      `/api/v2/${SANDBOX_TENANT}/webhooks`,
      "/auth/exchange",
      `/api/v2/${SANDBOX_TENANT}/webhooks`,
    ]);
  });

  it("turns a JSON:API 422 into an error that carries the API's title and detail", async () => {
    const error = await client
      .createWebhook({ ...attributes, event_types: [] })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CredoApiError);
    expect((error as CredoApiError).status).toBe(422);
    expect((error as CredoApiError).message).toMatch(
      /^create webhook failed: 422 Invalid attribute: .*event_types/,
    );
  });

  it("reports 404 with the API's title", async () => {
    await expect(client.getWebhook("AAAAAAAAAAAAAAAAAAAAAA")).rejects.toThrow(
      "get webhook AAAAAAAAAAAAAAAAAAAAAA failed: 404 Not found: No webhook with id AAAAAAAAAAAAAAAAAAAAAA",
    );
  });

  it("fails with the exchange's own error when the API token is wrong, without echoing it", async () => {
    const wrong = createCredoClient({
      baseUrl: server.baseUrl,
      tenant: SANDBOX_TENANT,
      apiToken: "not-the-token",
    });

    const error = (await wrong.listWebhooks().catch((caught: unknown) => caught)) as Error;

    expect(error).toBeInstanceOf(CredoApiError);
    expect(error.message).toBe(
      "token exchange failed: 401 Unauthenticated: Invalid API token or tenant",
    );
    expect(error.message).not.toContain("not-the-token");
  });
});

describe("the sandbox's management API", () => {
  let server: SandboxServer;
  beforeEach(async () => {
    server = await startSandboxServer();
  });
  afterEach(() => server.close());

  it("answers 401 without a token and 415 to a plain JSON body", async () => {
    const anonymous = await fetch(`${server.baseUrl}/api/v2/${SANDBOX_TENANT}/webhooks`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      errors: [{ code: 1000, title: "Unauthenticated", detail: expect.stringMatching(/^Missing/) }],
    });

    const { access_token } = (await (
      await fetch(`${server.baseUrl}/auth/exchange`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ api_token: SANDBOX_API_TOKEN, tenant: SANDBOX_TENANT }),
      })
    ).json()) as { access_token: string };
    const plainJson = await fetch(`${server.baseUrl}/api/v2/${SANDBOX_TENANT}/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ data: { type: "webhook", attributes } }),
    });
    expect(plainJson.status).toBe(415);

    const otherTenant = await fetch(`${server.baseUrl}/api/v2/someone-else/webhooks`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(otherTenant.status).toBe(403);
  });

  it("exchanges a token sent as JSON:API, as Credo AI's reference Python client sends it", async () => {
    const exchange = await fetch(`${server.baseUrl}/auth/exchange`, {
      method: "POST",
      headers: { "content-type": JSON_API_MEDIA_TYPE, accept: JSON_API_MEDIA_TYPE },
      body: JSON.stringify({ api_token: SANDBOX_API_TOKEN, tenant: SANDBOX_TENANT }),
    });
    expect(exchange.status).toBe(200);
    expect(await exchange.json()).toMatchObject({ access_token: expect.any(String) });
  });

  it("takes any event name, as Credo AI does, and requires the three o_auth attributes", async () => {
    const client = createCredoClient({
      baseUrl: server.baseUrl,
      tenant: SANDBOX_TENANT,
      apiToken: SANDBOX_API_TOKEN,
    });
    const created = await client.createWebhook({
      ...attributes,
      event_types: ["use_case_risk_tier_updated"],
    });
    expect(created.attributes.event_types).toEqual(["use_case_risk_tier_updated"]);

    const error = (await client
      .createWebhook({
        ...attributes,
        authentication_method: "o_auth",
        authentication_server: "https://auth.example.com/token",
      })
      .catch((caught: unknown) => caught)) as CredoApiError;
    expect(error.status).toBe(422);
    expect(error.errors.map((entry) => entry.detail)).toEqual([
      "data.attributes.authentication_payload: Required when authentication_method is o_auth",
      "data.attributes.authentication_payload_type: Required when authentication_method is o_auth",
    ]);
  });
});

describe("createCredoClient against answers shaped like Credo AI's real ones", () => {
  let api: LoopbackReceiver;
  afterEach(() => api.close());

  it("reports Credo AI's integer error codes with their title and detail", async () => {
    const unauthenticated = {
      errors: [{ code: 1000, title: "Unauthenticated", detail: "Invalid API token" }],
    };
    api = await startLoopbackReceiver(() => ({
      status: 401,
      headers: { "content-type": JSON_API_MEDIA_TYPE },
      body: JSON.stringify(unauthenticated),
    }));
    const client = createCredoClient({ baseUrl: api.url, tenant: "acme", apiToken: "t" });

    const error = (await client.listWebhooks().catch((caught: unknown) => caught)) as CredoApiError;

    expect(error).toBeInstanceOf(CredoApiError);
    expect(error.message).toBe("token exchange failed: 401 Unauthenticated: Invalid API token");
    expect(error.errors[0]?.code).toBe(1000);
  });

  it("reads every error object the spec describes (checked by tsc)", () => {
    expectTypeOf<components["schemas"]["JsonApiError"]>().toExtend<JsonApiErrorEntry>();
  });

  it("names the code when an error has no title", async () => {
    api = await startLoopbackReceiver((index) =>
      index === 0
        ? { status: 200, body: JSON.stringify({ access_token: "jwt" }) }
        : { status: 404, body: JSON.stringify({ errors: [{ code: 404 }] }) },
    );
    const client = createCredoClient({ baseUrl: api.url, tenant: "acme", apiToken: "t" });

    await expect(client.getWebhook("AAAAAAAAAAAAAAAAAAAAAA")).rejects.toThrow(
      "get webhook AAAAAAAAAAAAAAAAAAAAAA failed: 404 error 404",
    );
  });
});
