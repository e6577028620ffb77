import type { DeliveryDetail } from "../inbox/inspect-store.ts";

/** A delivery as the JSON API shows it: the body as text (and parsed, when it is JSON). */
export function deliveryDetailJson(detail: DeliveryDetail) {
  const { body, ...delivery } = detail.delivery;
  const text = body.toString("utf8");
  return {
    delivery: {
      ...delivery,
      body: text,
      bodyJson: tryParseJson(text),
      verifiedAtReceipt: delivery.authMethod !== "none",
    },
    attempts: detail.attempts,
    snapshot: detail.snapshot ?? null,
    replayable: detail.replayable,
  };
}

export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
