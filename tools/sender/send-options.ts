export type SendSource = "capturi" | "credo";

/** What `npm run send` parsed from its options. */
export interface SendOptions {
  /** The receiver's base URL; when absent, the running receiver is looked up. */
  target?: string;
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
  /** The receiver's DATA_DIR; when absent, DATA_DIR or `data`. */
  dataDir?: string;
  /** true when --via-sandbox is given without a URL. */
  viaSandbox?: string | true;
}

/** The options once the receiver and its DATA_DIR are known. */
export type ResolvedSendOptions = SendOptions & { target: string; dataDir: string };
