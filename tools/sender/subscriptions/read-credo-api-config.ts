import type { CredoClientOptions } from "../../credo-api/create-credo-client.ts";

export type CredoApiConfigResult =
  | { ok: true; value: Omit<CredoClientOptions, "fetch"> }
  | { ok: false; error: string };

const VARIABLES = {
  CREDO_API_URL: "the API host, e.g. https://api.credo.ai (or the sandbox, http://localhost:4000)",
  CREDO_TENANT: "your tenant's name, as in the Credo AI app's URLs",
  CREDO_API_TOKEN: "an API token from Credo AI's settings",
} as const;

/** Reads CREDO_API_URL, CREDO_TENANT and CREDO_API_TOKEN; the error names every missing one. */
export function readCredoApiConfig(env: Record<string, string | undefined>): CredoApiConfigResult {
  const missing = (Object.keys(VARIABLES) as (keyof typeof VARIABLES)[]).filter(
    (name) => (env[name] ?? "").trim() === "",
  );
  if (missing.length > 0) {
    const lines = missing.map((name) => `  ${name}: ${VARIABLES[name]}`);
    return { ok: false, error: `Set ${missing.join(", ")}:\n${lines.join("\n")}` };
  }
  const baseUrl = String(env.CREDO_API_URL).trim();
  if (!URL.canParse(baseUrl)) {
    return { ok: false, error: `CREDO_API_URL is not a URL: ${baseUrl}` };
  }
  return {
    ok: true,
    value: {
      baseUrl,
      tenant: String(env.CREDO_TENANT).trim(),
      apiToken: String(env.CREDO_API_TOKEN).trim(),
    },
  };
}
