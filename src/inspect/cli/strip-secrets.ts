/** Header names that carry a signature or a credential, whatever the source. */
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|(svix|webhook)-signature|x-.*(token|secret|signature|key).*)$/i;
/** Property names whose values are credentials rather than data. */
const SECRET_KEY =
  /(^|_|-|[a-z])(password|passwd|secret|token|api[-_]?key|apikey|signature|credential|private[-_]?key|authorization)$/i;
/** Values that look like a credential wherever they appear. */
const SECRET_VALUE = [
  /^whsec_[A-Za-z0-9+/=]+$/, // Standard Webhooks signing secret
  /^(Bearer|Basic)\s+\S+$/i,
  /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, // JWT
  /^(sk|pk|rk)_(live|test)_[A-Za-z0-9]+$/,
  /^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$/, // a Standard Webhooks signature
];

export const STRIPPED = "[stripped]";

export function stripSecretHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      SECRET_HEADER.test(name) || looksSecret(value) ? STRIPPED : value,
    ]),
  );
}

/** A deep copy of JSON data with credential-looking properties and values replaced. */
export function stripSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSecrets);
  if (typeof value === "string") return looksSecret(value) ? STRIPPED : value;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEY.test(key) && inner !== null && typeof inner !== "object"
        ? STRIPPED
        : stripSecrets(inner),
    ]),
  );
}

function looksSecret(value: string): boolean {
  return SECRET_VALUE.some((pattern) => pattern.test(value.trim()));
}
