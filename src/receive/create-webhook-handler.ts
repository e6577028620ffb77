import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { sendHttpError, toHttpError } from "../http/handle-errors.ts";
import { HttpError } from "../http/http-error.ts";
import { requestIdOf } from "../http/request-id.ts";
import { sendJsonText } from "../http/send-json.ts";
import type { Inbox } from "../inbox/inbox.ts";
import { REJECTION_BODY_BYTES } from "../inbox/inbox.ts";
import type { ReceiveFacts } from "../operations/create-metrics.ts";
import type { Source } from "../sources/source.ts";
import { assertJsonContent } from "./assert-json-content.ts";
import { readRawBody } from "./read-raw-body.ts";
import { receiveDelivery } from "./receive-delivery.ts";
import type { RedactHeaders } from "./redact-headers.ts";

export interface WebhookHandlerOptions {
  sources: readonly Source[];
  inbox: Inbox;
  logger: Logger;
  bodyLimitBytes: number;
  /** Replaces every header value that must never be stored or logged (by name and by value). */
  redactHeaders: RedactHeaders;
  now: () => Date;
  /** Told about every answered request (`/metrics`). */
  metrics?: { received(facts: ReceiveFacts): void };
  /** The client's address for the log line: the socket's peer unless a trusted proxy says more. */
  clientAddress?: (req: IncomingMessage) => string | undefined;
}

/**
 * `(req, res, next?)`: the shape of Node's own request listener and of Express middleware, so the
 * same function can run in front of any framework or inside one. Requests that are not for it go
 * to `next`, or get a 404 when there is none.
 */
export type WebhookHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** State of one webhook request, for the rejection log and the delivery log line. */
interface Delivery {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path as sent, without the query string (a query may carry a token). */
  path: string;
  source: string | null;
  /** The `:source` segment, URL-decoded: the source asked for, also when it names none. */
  requestedSource: string;
  startedAtMs: number;
  receivedAt: Date;
  rawBody?: Buffer;
  /** The headers as stored, once computed: a refusal after that reuses them. */
  safeHeaders?: Record<string, string>;
  eventType?: string | null;
  idempotencyKey?: string | null;
  outcome?: string;
}

/** `/webhooks/<source>`, an optional trailing slash, any letter case: what Express's route matched. */
const WEBHOOK_PATH = /^\/webhooks\/([^/]+)\/?$/i;

/**
 * Serves `/webhooks/:source` on plain `node:http` objects, without Express: the HTTP server calls it
 * before the Express app (whose routing costs several times what Node's parsing does), and
 * `createApp` mounts it too, for apps that embed the receiver (`app.use(handler)`). The body is read
 * raw here and only here (no global JSON parser), because signatures cover the exact bytes.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const { inbox, logger, bodyLimitBytes, redactHeaders, now, metrics } = options;
  const clientAddress = options.clientAddress ?? ((req) => req.socket.remoteAddress);
  const sources = new Map(options.sources.map((source) => [source.name, source]));
  const known = [...sources.keys()].join(", ");

  return (req, res, next) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const match = WEBHOOK_PATH.exec(query === -1 ? url : url.slice(0, query));
    if (!match) {
      if (next) next();
      else sendHttpError(res, new HttpError(404, "not_found", `Nothing at ${req.method} ${url}.`));
      return;
    }
    const delivery = startDelivery(req, res, match[1] ?? "");
    receive(delivery).catch((error: unknown) => refuse(delivery, error));
  };

  async function receive(delivery: Delivery): Promise<void> {
    const { req, res } = delivery;
    const source = sources.get(delivery.requestedSource);
    if (!source) {
      throw new HttpError(
        404,
        "unknown_source",
        `No source "${delivery.requestedSource}"; known: ${known}.`,
      );
    }
    delivery.source = source.name;
    const method = req.method ?? "GET";
    if (!source.methods.includes(method)) {
      throw new HttpError(
        405,
        "method_not_allowed",
        `${source.name} deliveries use ${source.methods.join(", ")}, not ${method}.`,
        { allow: source.methods.join(", ") },
      );
    }
    assertJsonContent(req.headers);
    if (req.readableEnded) {
      // Waiting for a body that was already read would hold the sender until its timeout.
      throw new HttpError(
        500,
        "body_already_read",
        "The request body was read before the webhook handler ran: mount it before any body parser (express.json(), express.raw()).",
      );
    }
    delivery.rawBody = await readRawBody(req, bodyLimitBytes);
    delivery.safeHeaders = redactHeaders(req.headers);

    const result = await receiveDelivery(source, inbox, {
      method,
      path: delivery.path,
      headers: req.headers,
      rawBody: delivery.rawBody,
      safeHeaders: delivery.safeHeaders,
      receivedAt: delivery.receivedAt,
      requestId: requestIdOf(req),
    });
    Object.assign(delivery, result.log);
    sendJsonText(res, result.statusCode, result.body, result.headers);
  }

  /** Refusals are kept in a capped log, so that a user can see why a provider's calls fail. */
  async function refuse(delivery: Delivery, error: unknown): Promise<void> {
    const { req, res } = delivery;
    const httpError = toHttpError(error);
    if (error instanceof HttpError) delivery.outcome = httpError.code;
    if (httpError.status < 500) {
      const body = delivery.rawBody ?? Buffer.alloc(0);
      await inbox
        .recordRejection({
          source: delivery.source,
          method: req.method ?? "GET",
          path: delivery.path,
          statusCode: httpError.status,
          code: httpError.code,
          message: httpError.message,
          headers: delivery.safeHeaders ?? redactHeaders(req.headers),
          bodyExcerpt: body.subarray(0, REJECTION_BODY_BYTES),
          bodyBytes: body.length,
          receivedAt: delivery.receivedAt,
        })
        .catch((recordError: unknown) =>
          logger.error(
            { err: recordError, requestId: requestIdOf(req) },
            "could not record a rejection",
          ),
        );
    } else {
      logger.error({ err: error, requestId: requestIdOf(req) }, "request failed");
    }
    sendHttpError(res, httpError);
  }

  function startDelivery(req: IncomingMessage, res: ServerResponse, sourceSegment: string) {
    requestIdOf(req, res);
    const delivery: Delivery = {
      req,
      res,
      path: pathOf(req),
      source: null,
      requestedSource: decodeSegment(sourceSegment),
      startedAtMs: performance.now(),
      receivedAt: now(),
    };
    res.once("finish", () => {
      const ms = performance.now() - delivery.startedAtMs;
      const outcome = delivery.outcome ?? "error";
      logger.info(
        {
          requestId: requestIdOf(req),
          source: delivery.source ?? delivery.requestedSource,
          eventType: delivery.eventType ?? null,
          idempotencyKey: delivery.idempotencyKey ?? null,
          outcome,
          statusCode: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          // The client's address: the proxy's unless TRUST_PROXY names it.
          remoteAddress: clientAddress(req),
        },
        "delivery",
      );
      metrics?.received({
        source: delivery.source ?? "unknown",
        ...receiveOutcome(outcome, res.statusCode),
        statusCode: res.statusCode,
        seconds: ms / 1000,
      });
    });
    return delivery;
  }
}

/** The full path, also when an Express app mounted the handler below a prefix. */
function pathOf(req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "/";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/** `%ff` is not a name: it is kept as sent, so that it is reported as an unknown source. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `pending` is "stored" for the metric; any answer that stored nothing is "refused", by its code. */
function receiveOutcome(outcome: string, statusCode: number): { outcome: string; code: string } {
  if (outcome === "pending") return { outcome: "stored", code: "" };
  if (STORED_OUTCOMES.has(outcome)) return { outcome, code: "" };
  return {
    outcome: "refused",
    code: statusCode >= 500 && outcome === "error" ? "internal_error" : outcome,
  };
}

const STORED_OUTCOMES = new Set(["duplicate", "invalid", "unhandled", "malformed"]);
