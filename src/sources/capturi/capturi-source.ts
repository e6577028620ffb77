import { createHeaderTokenVerifier } from "../../authenticate/verify-header-token.ts";
import type { Config } from "../../config/load-config.ts";
import type { AuthOutcome, Source } from "../source.ts";
import type { CapturiEvent } from "./capturi-event.ts";
import { parseCapturi } from "./parse-capturi.ts";

/** Capturi lets the customer pick any verb that carries a body. */
const CAPTURI_METHODS = ["POST", "PUT", "PATCH"] as const;

export function createCapturiSource(options: Config["capturi"]): Source<CapturiEvent> {
  const authenticate =
    options.auth === "none"
      ? (): AuthOutcome => ({ ok: true, method: "none", matchedKey: null })
      : createHeaderTokenVerifier({ header: options.tokenHeader, tokens: options.tokens });
  return {
    name: "capturi",
    methods: CAPTURI_METHODS,
    secretHeaders: [options.tokenHeader],
    authSummary:
      options.auth === "none"
        ? "NONE: anyone can post Capturi events (CAPTURI_AUTH=none)"
        : `header token in ${options.tokenHeader}, ${options.tokens.length} accepted`,
    authenticate,
    parse: parseCapturi,
  };
}
