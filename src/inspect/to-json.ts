import type { DeliveryDetail } from "../inbox/inspect-store.ts";

/** A delivery as the JSON API shows it: the body as text (and parsed, when it is JSON). */
export function deliveryDetailJson(detail: DeliveryDetail) {
  const { body, ...delivery } = detail.delivery;
  const text = body.toString("utf8");
  return {
    delivery: {
      ...delivery,
      body: text,
      bodyJson: tryParseJson(text, { mustStringify: true }),
      verifiedAtReceipt: delivery.authMethod !== "none",
    },
    attempts: detail.attempts,
    snapshot: detail.snapshot ?? null,
    replayable: detail.replayable,
    arrivals: detail.arrivals,
    arrivalsNotListed: detail.arrivalsNotListed,
    retryableNow: detail.retryableNow,
  };
}

/**
 * The parsed body, or undefined when it is not JSON. With `mustStringify`, also undefined when it
 * cannot be written back (an outsider's body nested deeper than the stack allows), so that the
 * response that embeds it cannot fail; the text is always there.
 */
export function tryParseJson(text: string, options: { mustStringify?: boolean } = {}): unknown {
  try {
    const value = JSON.parse(text);
    if (options.mustStringify) JSON.stringify(value);
    return value;
  } catch {
    return undefined;
  }
}
