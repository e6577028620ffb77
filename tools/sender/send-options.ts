export type SendSource = "capturi" | "credo";

/** What `npm run send` parsed from its options. */
export interface SendOptions {
  target: string;
  count: number;
  eventId?: string;
  mode?: "uid" | "full";
  casing?: "camel" | "pascal";
  method: "POST" | "PUT" | "PATCH";
  prefix?: string;
  suffix?: string;
  badSignature?: boolean;
  staleTimestamp?: boolean;
  /** false with --no-token. */
  token?: string | false;
  tokenHeader: string;
  secret?: string;
  dataDir: string;
  /** true when --via-sandbox is given without a URL. */
  viaSandbox?: string | true;
}
