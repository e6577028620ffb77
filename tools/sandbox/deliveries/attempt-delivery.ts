import { signCredoDelivery } from "../../payloads/sign-credo-delivery.ts";
import type { AttemptRecord, DeliveryRecord } from "./delivery-record.ts";

export interface AttemptOptions {
  fetch: typeof globalThis.fetch;
  /** Credo AI's signing secret (`whsec_…`), for signed deliveries. */
  signingSecret: string | null;
  timeoutMs: number;
  now: () => Date;
}

export interface AttemptResult {
  attempt: Omit<AttemptRecord, "number" | "trigger">;
  /** A 2xx within the timeout. */
  delivered: boolean;
  /** The receiver answered `webhook-delivery: abort-message`: stop retrying this message. */
  aborted: boolean;
}

const EXCERPT_CHARS = 500;

/** Makes one HTTP attempt, signed afresh when the delivery is signed. Never throws. */
export async function attemptDelivery(
  record: DeliveryRecord,
  options: AttemptOptions,
): Promise<AttemptResult> {
  const startedAt = options.now();
  const signature =
    record.signed && options.signingSecret !== null
      ? signCredoDelivery({
          secret: options.signingSecret,
          messageId: record.messageId,
          body: record.body,
          timestamp: startedAt,
        })
      : {};
  const base = {
    startedAt: startedAt.toISOString(),
    signedAt: record.signed ? startedAt.toISOString() : null,
  };
  try {
    const response = await options.fetch(record.url, {
      method: record.method,
      headers: { ...record.headers, ...signature },
      body: record.body,
      // A 3xx is a failure for Svix: never follow it.
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    return {
      attempt: {
        ...base,
        durationMs: options.now().getTime() - startedAt.getTime(),
        status: response.status,
        responseExcerpt: text.slice(0, EXCERPT_CHARS),
        error: null,
      },
      delivered: response.status >= 200 && response.status < 300,
      aborted: response.headers.get("webhook-delivery")?.toLowerCase() === "abort-message",
    };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return {
      attempt: {
        ...base,
        durationMs: options.now().getTime() - startedAt.getTime(),
        status: null,
        responseExcerpt: "",
        error: timedOut ? `no response within ${options.timeoutMs} ms` : describe(error),
      },
      delivered: false,
      aborted: false,
    };
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message}: ${cause.code}` : error.message;
}
