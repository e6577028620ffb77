/** `authentication_payload` holds the OAuth client credentials Credo AI sends: never print them. */
export function withoutAuthPayload<W extends { attributes: { authentication_payload?: unknown } }>(
  webhook: W,
): W {
  const payload = webhook.attributes.authentication_payload;
  if (payload === undefined || payload === null) return webhook;
  return { ...webhook, attributes: { ...webhook.attributes, authentication_payload: "[hidden]" } };
}
