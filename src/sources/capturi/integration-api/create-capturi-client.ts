import createClient from "openapi-fetch";
import { z } from "zod";
import type { components, paths } from "../../../generated/capturi-integration-api.ts";
import { toParseIssues } from "../../to-parse-issues.ts";
import {
  type IntegrationConversationView,
  integrationConversationViewSchema,
} from "../conversation-schema.ts";
import { createRetryingFetch, type RetryPolicy } from "./retrying-fetch.ts";

export type ProblemDetails = components["schemas"]["ProblemDetails"];

/** RFC 9457 problem details as ASP.NET Core writes them; extension members are kept. */
export const problemDetailsSchema = z.looseObject({
  type: z.string().nullish(),
  title: z.string().nullish(),
  status: z.number().int().nullish(),
  detail: z.string().nullish(),
  instance: z.string().nullish(),
});

/*
 * Answers worth another attempt. 500 is among them although only 429 and 502–504 are transient by
 * definition: ASP.NET answers 500 to passing faults (a dropped database connection) as well as to
 * bugs, and a few more tries within the backoff budget cost little.
 */
const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 5_000 };
const REDACTED = "[redacted]";

export interface CapturiClientOptions {
  /** The Integration API's root, e.g. https://api.capturi.ai/audio */
  baseUrl: string;
  /** The API token; when absent (or empty) no auth header is sent. */
  token: string | undefined;
  /** Header that carries the token; Capturi's other integration API uses Authorization. */
  authHeader?: string;
  /** Prefix before the token, e.g. "Bearer"; empty = raw token (Capturi's convention). */
  authScheme?: string;
  /** The `api-version` query parameter; Capturi's public docs use 2. */
  apiVersion?: string;
  /** Limit for one attempt, its response body included. */
  timeoutMs?: number;
  /** Attempts and backoff for network errors, timeouts, 429 and 5xx (`Retry-After` is honoured). */
  retry?: RetryPolicy;
  /** The fetch that makes each attempt; defaults to the global one. */
  fetch?: typeof fetch;
  /** Jitter source in [0, 1); inject a constant in tests. */
  random?: () => number;
}

export type ConversationLookup =
  | { kind: "found"; conversation: IntegrationConversationView }
  /** Capturi answers 204 for an unknown uid, not 404. */
  | { kind: "not_found" }
  | { kind: "error"; status: number; message: string; problem?: ProblemDetails };

export interface CapturiClient {
  /**
   * Fetches one conversation. Every answer Capturi gives is a value, including a 429 or 5xx that
   * outlasted the retries; it throws only when no answer came (network errors or timeouts on every
   * attempt) or with the signal's reason when `signal` aborts.
   */
  getConversation(uid: string, signal?: AbortSignal): Promise<ConversationLookup>;
}

/** A client of Capturi's Integration API over the types `npm run codegen` generates. */
export function createCapturiClient(options: CapturiClientOptions): CapturiClient {
  const { baseUrl, token, authHeader = "authorization", authScheme = "" } = options;
  const { apiVersion = "2", timeoutMs = 10_000, retry = DEFAULT_RETRY, random } = options;
  if (!URL.canParse(baseUrl)) throw new Error(`Capturi baseUrl is not a URL: ${baseUrl}`);
  const credentials = token ? (authScheme ? `${authScheme} ${token}` : token) : undefined;
  const client = createClient<paths>({
    baseUrl,
    headers: credentials === undefined ? {} : { [authHeader]: credentials },
    fetch: createRetryingFetch({
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs,
      retry,
      retryStatuses: RETRY_STATUSES,
      ...(random && { random }),
    }),
  });
  // Whatever the server echoes (a problem's detail, say) must not carry the token further.
  const redact = (text: string) => (token ? text.replaceAll(token, REDACTED) : text);

  return {
    async getConversation(uid, signal) {
      const { data, error, response } = await client.GET("/integrations/conversations/{uid}", {
        params: { path: { uid }, query: { "api-version": apiVersion } },
        parseAs: "text",
        ...(signal && { signal }),
      });
      if (response.status === 204) return { kind: "not_found" };
      if (response.status === 200) return parseConversation(data);
      return toError(response, error, redact);
    },
  };
}

function parseConversation(body: string | undefined): ConversationLookup {
  let json: unknown;
  try {
    json = JSON.parse(body ?? "");
  } catch {
    return { kind: "error", status: 200, message: "The 200 response body is not JSON" };
  }
  const result = integrationConversationViewSchema.safeParse(json);
  if (result.success) return { kind: "found", conversation: result.data };
  const issues = toParseIssues(result.error).map(({ path, message }) => `${path}: ${message}`);
  const message = `The 200 response is not an IntegrationConversationView: ${issues.join("; ")}`;
  return { kind: "error", status: 200, message };
}

function toError(
  response: Response,
  body: unknown,
  redact: (text: string) => string,
): ConversationLookup {
  const { status } = response;
  const parsed = problemDetailsSchema.safeParse(body);
  const problem = parsed.success ? redactStrings(parsed.data, redact) : undefined;
  // A plain-text body says more than the status line; a long one is cut to keep logs readable.
  const text = typeof body === "string" ? body.trim().slice(0, 200) : undefined;
  const retryAfter = response.headers.get("retry-after");
  const parts = [
    response.statusText || `HTTP ${status}`,
    problem?.title,
    problem?.detail ?? text,
    retryAfter && `Retry-After: ${retryAfter}`,
  ];
  const message = redact([...new Set(parts.filter(Boolean))].join(": "));
  return problem ? { kind: "error", status, message, problem } : { kind: "error", status, message };
}

function redactStrings<T extends object>(value: T, redact: (text: string) => string): T {
  const entries = Object.entries(value).map(([key, member]) => [
    key,
    typeof member === "string" ? redact(member) : member,
  ]);
  return Object.fromEntries(entries) as T;
}
