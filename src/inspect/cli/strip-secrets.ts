/**
 * Header names that carry a signature or a credential, whatever the sender: the ones real senders
 * use (`authorization`, `x-api-key`, `api-key`, `x-auth-token`, `x-capturi-token`,
 * `x-webhook-token`, `private-token`, `ocp-apim-subscription-key`, `x-hub-signature-256`,
 * `x-shopify-hmac-sha256`, cookies and sessions) and anything named like them.
 */
const SECRET_HEADER =
  /auth|token|secret|signature|passw(or)?d|credential|hmac|api-?key|private-?key|access-?key|subscription-key|cookie|session|jwt|bearer|^x-.*key/i;
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

/** Where a copied value goes: a key of an object or an index of an array. */
interface Slot {
  into: Record<string, unknown> | unknown[];
  key: string | number;
  value: unknown;
}

/**
 * A deep copy of JSON data with credential-looking properties and values replaced. It walks with
 * its own stack instead of recursion, so that any depth `JSON.parse` accepts (a hostile body can
 * nest 100,000 levels) copies without exhausting the call stack.
 */
export function stripSecrets(value: unknown): unknown {
  const root: unknown[] = [undefined];
  const pending: Slot[] = [{ into: root, key: 0, value }];
  for (let slot = pending.pop(); slot !== undefined; slot = pending.pop()) {
    const copy = copyShallow(slot.value);
    setOwn(slot.into, slot.key, copy);
    if (Array.isArray(slot.value)) {
      const items = slot.value;
      for (let index = items.length - 1; index >= 0; index--) {
        pending.push({ into: copy as unknown[], key: index, value: items[index] });
      }
    } else if (isObject(slot.value)) {
      for (const [key, inner] of Object.entries(slot.value).reverse()) {
        const secret = SECRET_KEY.test(key) && inner !== null && typeof inner !== "object";
        pending.push({
          into: copy as Record<string, unknown>,
          key,
          value: secret ? STRIPPED : inner,
        });
      }
    }
  }
  return root[0];
}

/** A string stripped if it looks secret, a fresh empty container, or the value itself. */
function copyShallow(value: unknown): unknown {
  if (Array.isArray(value)) return new Array(value.length);
  if (isObject(value)) return {};
  if (typeof value === "string") return looksSecret(value) ? STRIPPED : value;
  return value;
}

// defineProperty, because a JSON key `__proto__` is data: assigning it would set the prototype.
function setOwn(into: Slot["into"], key: string | number, value: unknown): void {
  Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function looksSecret(value: string): boolean {
  return SECRET_VALUE.some((pattern) => pattern.test(value.trim()));
}
