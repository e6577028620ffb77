import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { integrationConversationViewSchema } from "../../../../src/sources/capturi/conversation-schema.ts";
import {
  type CapturiClientOptions,
  createCapturiClient,
} from "../../../../src/sources/capturi/integration-api/create-capturi-client.ts";
import { retryAfterMs } from "../../../../src/sources/capturi/integration-api/retry-after-ms.ts";
import { capturiFixtures } from "../../../fixtures/index.ts";
import {
  type FakeCapturiApi,
  startFakeCapturiApi,
} from "../../../helpers/start-fake-capturi-api.ts";

const CONVERSATION = capturiFixtures.conversationProcessedFull.entity;
const KNOWN_UID = CONVERSATION.uid;
const UNKNOWN_UID = "0f0e0d0c-0b0a-4909-8807-060504030201";
const SCRIPTED_UID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const TOKEN = "capturi-token-s3cr3t-9f8e7d6c";

const forbidden = {
  type: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
  title: "Forbidden",
  status: 403,
  detail: "The token has no access to organization 7c1e4b2a-93d5-4f0e-8a61-2b9f0c4d7e13.",
  traceId: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
};
const badRequest = {
  type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
  title: "One or more validation errors occurred.",
  status: 400,
  detail: "api-version 7 is not supported.",
};

let api: FakeCapturiApi;
beforeEach(async () => {
  api = await startFakeCapturiApi();
  api.addConversation(KNOWN_UID, CONVERSATION);
});
afterEach(() => api.close());

/** A client of the fake with tiny, jitter-free delays, so that retries cost nothing. */
function clientOf(options: Partial<CapturiClientOptions> = {}) {
  return createCapturiClient({
    baseUrl: api.baseUrl,
    token: TOKEN,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 2_000 },
    timeoutMs: 2_000,
    random: () => 0,
    ...options,
  });
}

const scriptedRequests = () => api.requests.filter((r) => r.path.endsWith(SCRIPTED_UID));

describe("createCapturiClient: the request", () => {
  it("GETs the conversation path with api-version 2 and the raw token in Authorization", async () => {
    const result = await clientOf().getConversation(KNOWN_UID);

    expect(result).toEqual({
      kind: "found",
      conversation: integrationConversationViewSchema.parse(CONVERSATION),
    });
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request?.method).toBe("GET");
    expect(request?.path).toBe(`/audio/integrations/conversations/${KNOWN_UID}`);
    expect(request?.query).toEqual({ "api-version": "2" });
    expect(request?.headers.authorization).toBe(TOKEN);
  });

  it("sends the configured api-version, scheme and header name", async () => {
    await clientOf({ apiVersion: "3", authScheme: "Bearer" }).getConversation(KNOWN_UID);
    await clientOf({ authHeader: "X-Api-Key" }).getConversation(KNOWN_UID);

    const [bearer, custom] = api.requests;
    expect(bearer?.query).toEqual({ "api-version": "3" });
    expect(bearer?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(custom?.headers["x-api-key"]).toBe(TOKEN);
    expect(custom?.headers.authorization).toBeUndefined();
  });

  it("sends no auth header without a token", async () => {
    await clientOf({ token: undefined }).getConversation(KNOWN_UID);
    expect(api.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("encodes the uid into the path", async () => {
    await clientOf().getConversation("../list-full?x=1");
    expect(api.requests[0]?.path).toBe("/audio/integrations/conversations/..%2Flist-full%3Fx%3D1");
  });

  it("rejects a baseUrl that is not a URL when the client is made", () => {
    expect(() => clientOf({ baseUrl: "api.capturi.ai/audio" })).toThrow(/baseUrl is not a URL/);
  });
});

describe("createCapturiClient: answers that are not retried", () => {
  it("reads 204 as not found", async () => {
    await expect(clientOf().getConversation(UNKNOWN_UID)).resolves.toEqual({ kind: "not_found" });
    expect(api.requests).toHaveLength(1);
  });

  it.each([
    [400, badRequest],
    [403, forbidden],
  ])("returns a %i with its ProblemDetails after one request", async (status, problem) => {
    api.script(SCRIPTED_UID, { status, body: problem });

    const result = await clientOf().getConversation(SCRIPTED_UID);

    expect(result).toEqual({
      kind: "error",
      status,
      message: expect.stringContaining(problem.detail),
      problem,
    });
    expect(scriptedRequests()).toHaveLength(1);
  });

  it("does not retry other 4xx either, and keeps a plain-text body in the message", async () => {
    api.script(SCRIPTED_UID, { status: 401, body: "Token expired" });

    const result = await clientOf().getConversation(SCRIPTED_UID);

    expect(result).toEqual({ kind: "error", status: 401, message: "Unauthorized: Token expired" });
    expect(scriptedRequests()).toHaveLength(1);
  });

  it("returns an error value when a 200 body fails the schema", async () => {
    const broken = { ...CONVERSATION, state: "Exploded", duration: "long" };
    api.script(SCRIPTED_UID, { status: 200, body: broken });

    const result = await clientOf().getConversation(SCRIPTED_UID);

    expect(result).toMatchObject({ kind: "error", status: 200 });
    expect(result.kind === "error" && result.message).toMatch(/state: .*; duration: /);
    expect(scriptedRequests()).toHaveLength(1);
  });

  it("returns an error value when a 200 body is not JSON", async () => {
    api.script(SCRIPTED_UID, { status: 200, body: "<html>maintenance</html>" });
    await expect(clientOf().getConversation(SCRIPTED_UID)).resolves.toEqual({
      kind: "error",
      status: 200,
      message: "The 200 response body is not JSON",
    });
  });
});

describe("createCapturiClient: retries", () => {
  it.each([500, 502, 503, 504])("retries a %i and returns what comes next", async (status) => {
    api.script(SCRIPTED_UID, { status }, { status: 200, body: CONVERSATION });
    const random = vi.fn(() => 0);

    const result = await clientOf({ random }).getConversation(SCRIPTED_UID);

    expect(result.kind).toBe("found");
    expect(scriptedRequests()).toHaveLength(2);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it("returns the last 5xx as a value once maxAttempts is spent", async () => {
    api.script(SCRIPTED_UID, { status: 503, body: { title: "Service Unavailable", status: 503 } });

    const result = await clientOf().getConversation(SCRIPTED_UID);

    expect(result).toMatchObject({ kind: "error", status: 503 });
    expect(scriptedRequests()).toHaveLength(3);
  });

  it("waits for Retry-After in seconds before retrying a 429", async () => {
    api.script(
      SCRIPTED_UID,
      { status: 429, headers: { "retry-after": "1" } },
      { status: 200, body: CONVERSATION },
    );
    const started = performance.now();

    const result = await clientOf().getConversation(SCRIPTED_UID);

    expect(result.kind).toBe("found");
    expect(scriptedRequests()).toHaveLength(2);
    // Loose on purpose: only "did not retry at once" is asserted, never an upper bound.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("retries a 429 whose Retry-After date has passed", async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    api.script(
      SCRIPTED_UID,
      { status: 429, headers: { "retry-after": past } },
      { status: 200, body: CONVERSATION },
    );
    await expect(clientOf().getConversation(SCRIPTED_UID)).resolves.toMatchObject({
      kind: "found",
    });
    expect(scriptedRequests()).toHaveLength(2);
  });

  it("gives a 429 back at once when Retry-After asks for longer than maxDelayMs", async () => {
    api.script(SCRIPTED_UID, { status: 429, headers: { "retry-after": "3600" } });

    const result = await clientOf().getConversation(SCRIPTED_UID);

    expect(result).toEqual({
      kind: "error",
      status: 429,
      message: "Too Many Requests: Retry-After: 3600",
    });
    expect(scriptedRequests()).toHaveLength(1);
  });

  it("retries a timeout and succeeds when the next attempt is fast", async () => {
    api.script(SCRIPTED_UID, { status: 200, body: CONVERSATION, delayMs: 1_000 }, { status: 204 });
    const result = await clientOf({ timeoutMs: 50 }).getConversation(SCRIPTED_UID);
    expect(result).toEqual({ kind: "not_found" });
    expect(scriptedRequests()).toHaveLength(2);
  });

  it("throws once every attempt timed out", async () => {
    api.script(SCRIPTED_UID, { status: 200, body: CONVERSATION, delayMs: 1_000 });

    const lookup = clientOf({ timeoutMs: 50 }).getConversation(SCRIPTED_UID);

    await expect(lookup).rejects.toThrow(
      `GET ${api.baseUrl}/integrations/conversations/${SCRIPTED_UID} got no answer to 3 requests (the HTTP client's own retries, within one call); last: timed out after 50 ms`,
    );
    expect(scriptedRequests()).toHaveLength(3);
  });

  it("throws with the cause once every attempt met a closed connection", async () => {
    api.script(SCRIPTED_UID, { destroy: true });

    const error = await clientOf()
      .getConversation(SCRIPTED_UID)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /got no answer to 3 requests \(the HTTP client's own retries, within one call\); last: fetch failed/,
    );
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(scriptedRequests()).toHaveLength(3);
  });

  it("throws when nothing listens", async () => {
    const { baseUrl } = api;
    await api.close();
    const lookup = createCapturiClient({
      baseUrl,
      token: TOKEN,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    }).getConversation(KNOWN_UID);
    await expect(lookup).rejects.toThrow(
      /got no answer to 2 requests .*; last: fetch failed \(.*ECONNREFUSED/,
    );
    api = await startFakeCapturiApi(); // for afterEach
  });
});

describe("createCapturiClient: the caller's signal", () => {
  it("stops a slow attempt at once with the caller's reason, without retrying", async () => {
    api.script(SCRIPTED_UID, { status: 200, body: CONVERSATION, delayMs: 5_000 });
    const caller = new AbortController();
    const reason = new Error("worker shutting down");

    const lookup = clientOf({ timeoutMs: 10_000 }).getConversation(SCRIPTED_UID, caller.signal);
    await vi.waitFor(() => expect(scriptedRequests()).toHaveLength(1));
    caller.abort(reason);

    await expect(lookup).rejects.toBe(reason);
    expect(scriptedRequests()).toHaveLength(1);
  });

  it("stops during the backoff between attempts", async () => {
    api.script(SCRIPTED_UID, { status: 503 });
    const caller = new AbortController();
    const client = clientOf({
      retry: { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      random: () => 1,
    });

    const lookup = client.getConversation(SCRIPTED_UID, caller.signal);
    await vi.waitFor(() => expect(scriptedRequests()).toHaveLength(1));
    caller.abort();

    await expect(lookup).rejects.toMatchObject({ name: "AbortError" });
    expect(scriptedRequests()).toHaveLength(1);
  });

  it("sends nothing when the signal has already aborted", async () => {
    const lookup = clientOf().getConversation(KNOWN_UID, AbortSignal.abort());
    await expect(lookup).rejects.toMatchObject({ name: "AbortError" });
    expect(api.requests).toHaveLength(0);
  });
});

describe("createCapturiClient: the token stays secret", () => {
  it("is redacted from a problem that echoes it", async () => {
    const echo = { ...forbidden, detail: `Unknown token '${TOKEN}'.`, instance: `/t/${TOKEN}` };
    api.script(SCRIPTED_UID, { status: 403, body: echo });

    const result = await clientOf({ authScheme: "Bearer" }).getConversation(SCRIPTED_UID);

    expect(result).toMatchObject({
      kind: "error",
      message: "Forbidden: Unknown token '[redacted]'.",
      problem: { detail: "Unknown token '[redacted]'.", instance: "/t/[redacted]" },
    });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it("appears in no thrown error", async () => {
    api.script(SCRIPTED_UID, { destroy: true });
    const error = await clientOf()
      .getConversation(SCRIPTED_UID)
      .catch((e: unknown) => e);
    const cause = (error as Error).cause as Error;
    const text = [String(error), (error as Error).stack, String(cause), String(cause.cause)];
    expect(text.join("\n")).not.toContain(TOKEN);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2025-05-13T10:00:00Z");

  it.each([
    ["120", 120_000],
    [" 0 ", 0],
    ["Tue, 13 May 2025 10:00:30 GMT", 30_000],
    ["Tue, 13 May 2025 09:59:00 GMT", 0],
    ["2.5", null],
    ["soon", null],
    [null, null],
  ])("reads %j as %j ms", (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});
