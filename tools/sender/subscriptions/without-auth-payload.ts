const HIDDEN = "[hidden]";

/**
 * `authentication_payload` holds the OAuth client credentials Credo AI sends: never print them.
 * Its keys stay visible (which credentials are set), and an empty payload stays `{}`.
 */
export function withoutAuthPayload<W extends { attributes: { authentication_payload?: unknown } }>(
  webhook: W,
): W {
  const payload = webhook.attributes.authentication_payload;
  if (payload === undefined || payload === null) return webhook;
  const hidden =
    typeof payload === "object" && !Array.isArray(payload)
      ? Object.fromEntries(Object.keys(payload).map((key) => [key, HIDDEN]))
      : HIDDEN;
  return { ...webhook, attributes: { ...webhook.attributes, authentication_payload: hidden } };
}
