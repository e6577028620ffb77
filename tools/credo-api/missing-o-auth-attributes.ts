/** What Credo AI's guide requires of a webhook whose `authentication_method` is `o_auth`. */
export const O_AUTH_ATTRIBUTES = [
  "authentication_server",
  "authentication_payload",
  "authentication_payload_type",
] as const;

export type OAuthAttribute = (typeof O_AUTH_ATTRIBUTES)[number];

/**
 * The `o_auth` attributes that `attributes` lacks (absent, null, empty, or an empty payload);
 * none when the method is not `o_auth`.
 */
export function missingOAuthAttributes(attributes: {
  authentication_method?: string | null | undefined;
  [name: string]: unknown;
}): OAuthAttribute[] {
  if (attributes.authentication_method !== "o_auth") return [];
  return O_AUTH_ATTRIBUTES.filter((name) => isBlank(attributes[name]));
}

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  return typeof value === "object" && Object.keys(value).length === 0;
}
