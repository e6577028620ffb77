import { z } from "zod";
import { commaList, positiveInt } from "../../config/env-schemas.ts";
import type { RetryPolicy } from "./integration-api/retrying-fetch.ts";

/** Shorter tokens can be guessed; `openssl rand -base64 32` gives 44 characters. */
const MIN_TOKEN_LENGTH = 16;

/**
 * Capturi tokens, as configured or with the `Bearer ` prefix they carry in the header: the prefix
 * is dropped, so that `Bearer` itself can never become an accepted token.
 */
const tokenList = commaList.pipe(
  z.array(
    z
      .string()
      .transform((token) => token.replace(/^Bearer\s+/i, ""))
      .pipe(
        z
          .string()
          .regex(/^\S+$/, "a token cannot contain spaces; separate several tokens with commas")
          .min(
            MIN_TOKEN_LENGTH,
            `use at least ${MIN_TOKEN_LENGTH} characters (openssl rand -base64 32)`,
          ),
      ),
  ),
);

/** Capturi's variables; `.env.example` explains each. */
export const capturiSettingsSchema = z
  .object({
    CAPTURI_AUTH: z.enum(["header-token", "none"]).default("header-token"),
    CAPTURI_TOKEN_HEADER: z
      .string()
      .min(1)
      .default("authorization")
      .transform((name) => name.toLowerCase()),
    CAPTURI_TOKENS: tokenList,
    CAPTURI_API_URL: z.url().default("https://api.capturi.ai/audio"),
    CAPTURI_API_TOKEN: z.string().optional(),
    CAPTURI_API_AUTH_HEADER: z.string().min(1).default("authorization"),
    CAPTURI_API_AUTH_SCHEME: z.string().default(""),
    CAPTURI_API_VERSION: z.string().min(1).default("2"),
    CAPTURI_API_TIMEOUT_MS: positiveInt(10_000),
  })
  .transform(
    (e): CapturiSettings => ({
      auth: e.CAPTURI_AUTH,
      tokenHeader: e.CAPTURI_TOKEN_HEADER,
      tokens: e.CAPTURI_TOKENS,
      api: {
        baseUrl: e.CAPTURI_API_URL,
        token: e.CAPTURI_API_TOKEN,
        authHeader: e.CAPTURI_API_AUTH_HEADER,
        authScheme: e.CAPTURI_API_AUTH_SCHEME,
        apiVersion: e.CAPTURI_API_VERSION,
        timeoutMs: e.CAPTURI_API_TIMEOUT_MS,
      },
    }),
  );

export interface CapturiSettings {
  auth: "header-token" | "none";
  /** Lower-case header name the customer configured in Capturi's web app. */
  tokenHeader: string;
  /** Accepted tokens; several at once while a token is rotated. Empty: generate for development. */
  tokens: string[];
  /** The Integration API that `ctx.conversation()` calls for Uid payloads. */
  api: {
    /** Base URL (the sandbox's, to run offline). */
    baseUrl: string;
    token: string | undefined;
    authHeader: string;
    /** Prefix before the token, e.g. "Bearer"; empty sends the raw token, as Capturi expects. */
    authScheme: string;
    apiVersion: string;
    timeoutMs: number;
    /** The client's retries; its defaults unless set (tests shorten them). */
    retry?: RetryPolicy;
  };
}
