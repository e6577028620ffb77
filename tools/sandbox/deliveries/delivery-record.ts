/** One attempt to deliver, as a webhook log shows it. */
export interface AttemptRecord {
  number: number;
  trigger: "initial" | "retry" | "replay";
  startedAt: string;
  durationMs: number;
  /** The HTTP status, or null when no response came (refused, timed out). */
  status: number | null;
  /** The first 500 characters of the response body. */
  responseExcerpt: string;
  error: string | null;
  /** `svix-timestamp` of this attempt: a fresh one every time. */
  signedAt: string | null;
}

export type DeliveryStatus = "pending" | "delivered" | "failed" | "aborted";

/** One message to one endpoint, with every attempt made to deliver it. */
export interface DeliveryRecord {
  id: string;
  source: "credo" | "capturi";
  event: string;
  /** `svix-id` for Credo AI (the same on every retry), `eventUid` for Capturi. */
  messageId: string;
  /** The Credo AI webhook id or the Capturi webhook name it was sent for. */
  endpoint: string;
  url: string;
  method: string;
  /** Static headers; Credo AI's signature headers are added per attempt. */
  headers: Record<string, string>;
  body: string;
  /** Sign each attempt with Standard Webhooks (`svix-*` headers). */
  signed: boolean;
  createdAtMs: number;
  status: DeliveryStatus;
  /** When the next attempt is due; null once delivered, failed or aborted. */
  nextAttemptAtMs: number | null;
  /** Delays before each retry, already scaled. */
  retryDelaysMs: number[];
  /** Retries used since the first attempt or the last replay. */
  retriesUsed: number;
  attempts: AttemptRecord[];
}

export type NewDelivery = Pick<
  DeliveryRecord,
  | "source"
  | "event"
  | "messageId"
  | "endpoint"
  | "url"
  | "method"
  | "headers"
  | "body"
  | "signed"
  | "retryDelaysMs"
>;
