import type { NextFunction, Request, Response } from "express";
import { Router } from "express";
import type { Logger } from "pino";
import { HttpError } from "../http/http-error.ts";
import { requestIdOf } from "../http/request-id.ts";
import type { Inbox } from "../inbox/inbox.ts";
import { REJECTION_BODY_BYTES } from "../inbox/inbox.ts";
import type { ReceiveFacts } from "../operations/create-metrics.ts";
import type { Source } from "../sources/source.ts";
import { readRawBody } from "./read-raw-body.ts";
import { receiveDelivery } from "./receive-delivery.ts";
import type { RedactHeaders } from "./redact-headers.ts";

export interface WebhookRouterOptions {
  sources: readonly Source[];
  inbox: Inbox;
  logger: Logger;
  bodyLimitBytes: number;
  /** Replaces every header value that must never be stored or logged (by name and by value). */
  redactHeaders: RedactHeaders;
  now: () => Date;
  /** Told about every answered request (`/metrics`). */
  metrics?: { received(facts: ReceiveFacts): void };
}

/** State of one webhook request, for the rejection log and the delivery log line. */
interface DeliveryLocals {
  source: string | null;
  startedAtMs: number;
  receivedAt: Date;
  rawBody?: Buffer;
  eventType?: string | null;
  idempotencyKey?: string | null;
  outcome?: string;
}

/**
 * `/webhooks/:source`: the body is read raw here and only here (no global JSON parser), because
 * signatures cover the exact bytes received.
 */
export function createWebhookRouter(options: WebhookRouterOptions): Router {
  const { inbox, logger, bodyLimitBytes, redactHeaders, now, metrics } = options;
  const sources = new Map(options.sources.map((source) => [source.name, source]));
  const router = Router();

  router.all("/webhooks/:source", async (req, res) => {
    const locals = startDelivery(req, res, now());
    const source = sources.get(String(req.params.source));
    if (!source) {
      const known = [...sources.keys()].join(", ");
      throw new HttpError(
        404,
        "unknown_source",
        `No source "${req.params.source}"; known: ${known}.`,
      );
    }
    locals.source = source.name;
    if (!source.methods.includes(req.method)) {
      throw new HttpError(
        405,
        "method_not_allowed",
        `${source.name} deliveries use ${source.methods.join(", ")}, not ${req.method}.`,
        { allow: source.methods.join(", ") },
      );
    }
    assertJsonContent(req);
    locals.rawBody = await readRawBody(req, bodyLimitBytes);

    const result = await receiveDelivery(source, inbox, {
      method: req.method,
      path: req.path,
      headers: req.headers,
      rawBody: locals.rawBody,
      safeHeaders: redactHeaders(req.headers),
      receivedAt: locals.receivedAt,
      requestId: requestIdOf(req),
    });
    Object.assign(locals, result.log);
    res
      .status(result.statusCode)
      .set(result.headers ?? {})
      .json(result.body);
  });

  // Refusals are kept in a capped log so that a user can see why a provider's calls fail.
  router.use(
    "/webhooks",
    async (error: unknown, req: Request, res: Response, next: NextFunction) => {
      const locals = res.locals.delivery as DeliveryLocals | undefined;
      if (error instanceof HttpError && locals) locals.outcome = error.code;
      if (error instanceof HttpError && error.status < 500 && locals) {
        const body = locals.rawBody ?? Buffer.alloc(0);
        await inbox
          .recordRejection({
            source: locals.source,
            method: req.method,
            // Mounted at /webhooks: the full path is the mount point plus what follows it.
            path: req.baseUrl + req.path,
            statusCode: error.status,
            code: error.code,
            message: error.message,
            headers: redactHeaders(req.headers),
            bodyExcerpt: body.subarray(0, REJECTION_BODY_BYTES),
            bodyBytes: body.length,
            receivedAt: locals.receivedAt,
          })
          .catch((recordError: unknown) =>
            logger.error(
              { err: recordError, requestId: requestIdOf(req) },
              "could not record a rejection",
            ),
          );
      }
      next(error);
    },
  );

  function startDelivery(req: Request, res: Response, receivedAt: Date): DeliveryLocals {
    const locals: DeliveryLocals = { source: null, startedAtMs: performance.now(), receivedAt };
    res.locals.delivery = locals;
    res.on("finish", () => {
      const ms = performance.now() - locals.startedAtMs;
      const outcome = locals.outcome ?? "error";
      logger.info(
        {
          requestId: requestIdOf(req),
          source: locals.source ?? req.params.source,
          eventType: locals.eventType ?? null,
          idempotencyKey: locals.idempotencyKey ?? null,
          outcome,
          statusCode: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          // The client's address: the proxy's unless TRUST_PROXY names it.
          remoteAddress: req.ip,
        },
        "delivery",
      );
      metrics?.received({
        source: locals.source ?? "unknown",
        ...receiveOutcome(outcome, res.statusCode),
        statusCode: res.statusCode,
        seconds: ms / 1000,
      });
    });
    return locals;
  }

  return router;
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

/** Missing Content-Type is tolerated (the body is still JSON-parsed); a non-JSON one is refused. */
function assertJsonContent(req: Request): void {
  const contentType = req.headers["content-type"];
  if (contentType !== undefined && !/^(application|text)\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type ${contentType} is not JSON; send application/json.`,
    );
  }
  const charset = contentType === undefined ? undefined : CHARSET.exec(contentType)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    // JSON is UTF-8 (RFC 8259 §8.1): decoding UTF-16 as UTF-8 would store mojibake as "malformed".
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type charset=${charset} is not supported; send the JSON as UTF-8 (charset=utf-8, or no charset).`,
    );
  }
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Encoding ${encoding} is not supported; send the body uncompressed.`,
    );
  }
  // Node takes the body out of chunked framing but leaves any other transfer coding in it.
  const transfer = req.headers["transfer-encoding"];
  const compressed = transfer
    ?.split(",")
    .map((coding) => coding.trim().toLowerCase())
    .find((coding) => coding !== "chunked" && coding !== "identity" && coding !== "");
  if (compressed !== undefined) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Transfer-Encoding ${compressed} is not supported; send the body uncompressed (chunked alone is fine).`,
    );
  }
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
