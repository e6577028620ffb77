import { randomBytes } from "node:crypto";
import { signStandardWebhook } from "../authenticate/sign-standard-webhook.ts";
import type { StoredDelivery } from "../inbox/inbox.ts";
import { shellQuote } from "./shell-quote.ts";

export interface ReplayCurlOptions {
  delivery: Pick<StoredDelivery, "source" | "body" | "headers" | "authMethod" | "idempotencyKey">;
  /** Where to send it; already checked to be an http(s) URL. */
  url: string;
  /**
   * The source's development Standard Webhooks secret, never a configured one. Absent: the
   * command computes the signature itself from `$WEBHOOK_SECRET`, which the user sets.
   */
  developmentSecret: string | undefined;
  /**
   * The header a header-token source reads its token from (Capturi's CAPTURI_TOKEN_HEADER);
   * `authorization` by default, the only one whose value is `Bearer <token>`.
   */
  tokenHeader?: string | undefined;
  /** A new `webhook-id`; by default the stored one, which the original receiver has seen. */
  newMessageId?: boolean;
  now: Date;
}

export interface ReplayCurl {
  command: string;
  /** How the command authenticates, for the note beside it. */
  auth: "signed" | "sign-yourself" | "token-placeholder" | "none";
  /** The `webhook-id` it sends, for Standard Webhooks deliveries. */
  messageId?: string;
  /** The shell variable that must hold a token (`CAPTURI_TOKEN`). */
  tokenVariable?: string;
}

const CONTINUE = " \\\n  ";

/**
 * A `curl` command that POSTs a stored body again, byte for byte, to a URL of the user's choice,
 * with fresh authentication: Standard Webhooks headers signed now (by the development secret, or
 * by the command from `$WEBHOOK_SECRET`), or a token header whose value is a shell variable.
 * Every value from the delivery is single-quoted, so pasting it runs nothing else.
 */
export function buildReplayCurl(options: ReplayCurlOptions): ReplayCurl {
  const { delivery } = options;
  const body = bodyTransport(delivery.body);
  const contentType = delivery.headers["content-type"] ?? "application/json";
  const curl = (headers: string[]) =>
    [
      `curl -sS -w '\\n%{http_code}\\n' -X POST ${shellQuote(options.url)}`,
      `-H ${shellQuote(`content-type: ${contentType}`)}`,
      ...headers,
      body.argument,
    ].join(CONTINUE);

  if (delivery.authMethod === "standard-webhooks") {
    const messageId =
      options.newMessageId || !delivery.idempotencyKey
        ? `msg_${randomBytes(12).toString("base64url")}`
        : delivery.idempotencyKey;
    if (options.developmentSecret) {
      const timestampSeconds = Math.floor(options.now.getTime() / 1000);
      const signature = signStandardWebhook(options.developmentSecret, {
        id: messageId,
        timestampSeconds,
        body: delivery.body,
      });
      const headers = [
        `webhook-id: ${messageId}`,
        `webhook-timestamp: ${timestampSeconds}`,
        `webhook-signature: ${signature}`,
      ].map((header) => `-H ${shellQuote(header)}`);
      return { command: [...body.setup, curl(headers)].join("\n"), auth: "signed", messageId };
    }
    const setup = [
      ...body.setup,
      `id=${shellQuote(messageId)}`,
      "ts=$(date +%s)",
      `key=$(printf '%s' "\${WEBHOOK_SECRET#whsec_}" | base64 --decode | od -An -v -tx1 | tr -d ' \\n')`,
      `sig=$(${body.signedBytes} | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)`,
    ];
    const headers = [
      '-H "webhook-id: $id"',
      '-H "webhook-timestamp: $ts"',
      '-H "webhook-signature: v1,$sig"',
    ];
    return { command: [...setup, curl(headers)].join("\n"), auth: "sign-yourself", messageId };
  }
  if (delivery.authMethod === "header-token") {
    const tokenVariable = `${delivery.source.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_TOKEN`;
    const name = (options.tokenHeader ?? "authorization").toLowerCase();
    // As the source reads it: `Bearer ` only in authorization (capturi-source.ts describes it).
    const value = `${name === "authorization" ? "Bearer " : ""}$${tokenVariable}`;
    // In double quotes, for the variable; the name is configuration, but escaped all the same.
    const header = `-H "${name.replace(/[\\$`"]/g, "\\$&")}: ${value}"`;
    return {
      command: [...body.setup, curl([header])].join("\n"),
      auth: "token-placeholder",
      tokenVariable,
    };
  }
  return { command: [...body.setup, curl([])].join("\n"), auth: "none" };
}

/**
 * The largest body passed to curl as one argument. Linux refuses a single argument over 128 KiB
 * (MAX_ARG_STRLEN, "Argument list too long"); a larger body goes through a file.
 */
export const MAX_BODY_ARGUMENT_BYTES = 64 * 1024;

/**
 * How the body reaches curl unchanged. Text goes in single quotes; bytes a shell word cannot
 * hold (NUL, or not UTF-8, which the page could not show as typed), and bodies too large for one
 * argument, go through base64 into a file.
 */
function bodyTransport(bytes: Buffer) {
  const text = bytes.toString("utf8");
  if (
    bytes.length <= MAX_BODY_ARGUMENT_BYTES &&
    !text.includes("\0") &&
    Buffer.from(text, "utf8").equals(bytes)
  ) {
    return {
      setup: [`body=${shellQuote(text)}`],
      // --data-raw: unlike -d and --data-binary, a body that starts with @ is not a file name.
      argument: '--data-raw "$body"',
      signedBytes: `printf '%s.%s.%s' "$id" "$ts" "$body"`,
    };
  }
  return {
    setup: [
      "body_file=$(mktemp)",
      `printf '%s' ${shellQuote(bytes.toString("base64"))} | base64 --decode > "$body_file"`,
    ],
    argument: '--data-binary @"$body_file"',
    signedBytes: `{ printf '%s.%s.' "$id" "$ts"; cat "$body_file"; }`,
  };
}
