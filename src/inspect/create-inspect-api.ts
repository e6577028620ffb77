import { type Request, Router } from "express";
import { HttpError } from "../http/http-error.ts";
import { type InspectStore, MAX_CHART_BUCKETS } from "../inbox/inspect-store.ts";
import { buildReplayCurl } from "./build-replay-curl.ts";
import { requireInspectScript } from "./inspect-access.ts";
import { curlNote } from "./pages/curl-card.ts";
import { deliveryRow } from "./pages/parts.ts";
import { formatCursor, parseCursor } from "./parse-filter.ts";
import { readCurlUrl } from "./read-curl-url.ts";
import {
  queryText,
  readBeforeId,
  readFilter,
  readId,
  readLimit,
  readRejectionFilter,
} from "./read-query.ts";
import { deliveryDetailJson } from "./to-json.ts";

export interface InspectApiOptions {
  store: InspectStore;
  now: () => Date;
  /** Development Standard Webhooks secrets by source, for "Copy as curl"; never configured ones. */
  developmentSigningSecrets: Readonly<Record<string, string>>;
  /** The header each header-token source reads its token from, by source (see the router's). */
  tokenHeaders: Readonly<Record<string, string>>;
}

/** What the chart covers: the last day, in half hours unless `buckets` says otherwise. */
export const CHART_RANGE_MS = 24 * 3_600_000;
export const DEFAULT_CHART_BUCKETS = 48;

function readBuckets(req: Request): number {
  const text = queryText(req, "buckets");
  if (text === undefined) return DEFAULT_CHART_BUCKETS;
  const buckets = /^\d{1,3}$/.test(text) ? Number(text) : 0;
  if (buckets < 1 || buckets > MAX_CHART_BUCKETS) {
    throw new HttpError(
      400,
      "invalid_buckets",
      `buckets must be a whole number from 1 to ${MAX_CHART_BUCKETS}; got "${text.slice(0, 20)}".`,
    );
  }
  return buckets;
}

/** The JSON endpoints under `/inspect/api`: what the page's script uses, usable with curl too. */
export function createInspectApi(options: InspectApiOptions): Router {
  const { store, now } = options;
  const api = Router();

  api.get("/deliveries", async (req, res) => {
    const before = queryText(req, "before");
    const cursor = before === undefined ? undefined : parseCursor(before);
    if (before !== undefined && !cursor) {
      throw new HttpError(400, "invalid_cursor", "before must be a cursor from nextCursor.");
    }
    const page = await store.listDeliveries(readFilter(req, now()), {
      limit: readLimit(req),
      ...(cursor ? { before: cursor } : {}),
    });
    res.json({
      deliveries: page.deliveries,
      nextCursor: page.nextCursor ? formatCursor(page.nextCursor) : null,
    });
  });

  // The live list: rows newer than the newest shown, the status of the rows shown, and counts.
  api.get("/updates", async (req, res) => {
    const filter = readFilter(req, now());
    const afterId = Number(queryText(req, "after") ?? 0) || 0;
    const ids = (queryText(req, "ids") ?? "")
      .split(",")
      .filter((id) => /^\d{1,15}$/.test(id))
      .map(Number);
    const { deliveries, seenThroughId } = await store.listNewDeliveries(filter, afterId, 100);
    res.json({
      deliveries,
      // The next poll's `after`: rows up to here were looked at, whether they matched or not.
      seenThroughId,
      // Newest first, rendered by the same template as the page, so escaping lives in one place.
      rowsHtml: deliveries
        .map((delivery) => deliveryRow(delivery, now()))
        .reverse()
        .join(""),
      statuses: await store.getStatuses(ids),
      counts: queryText(req, "counts") === "1" ? await store.countByStatus(filter) : null,
    });
  });

  api.get("/counts", async (req, res) => {
    res.json(await store.countByStatus(readFilter(req, now())));
  });

  api.get("/deliveries/:id", async (req, res) => {
    const id = readId(req);
    const detail = await store.getDelivery(id);
    if (!detail) throw new HttpError(404, "delivery_not_found", `No delivery ${id}.`);
    res.json(deliveryDetailJson(detail));
  });

  // A fresh "Copy as curl" command: signed now, for the URL the user typed.
  api.get("/deliveries/:id/curl", async (req, res) => {
    const id = readId(req);
    const detail = await store.getDelivery(id);
    if (!detail) throw new HttpError(404, "delivery_not_found", `No delivery ${id}.`);
    const { delivery } = detail;
    const curl = buildReplayCurl({
      delivery,
      url: readCurlUrl(req, delivery.source),
      developmentSecret: options.developmentSigningSecrets[delivery.source],
      tokenHeader: options.tokenHeaders[delivery.source],
      newMessageId: queryText(req, "newId") === "1",
      now: now(),
    });
    res.json({ ...curl, note: curlNote(curl) });
  });

  api.post("/deliveries/:id/replay", requireInspectScript, async (req, res) => {
    const outcome = await store.replay(readId(req), now());
    if (!outcome.ok) {
      const status = outcome.code === "not_found" ? 404 : 409;
      throw new HttpError(
        status,
        outcome.code === "not_found" ? "delivery_not_found" : "not_replayable",
        outcome.reason,
      );
    }
    res
      .status(202)
      .json({ id: outcome.id, status: "pending", previousStatus: outcome.previousStatus });
  });

  api.post("/deliveries/:id/retry-now", requireInspectScript, async (req, res) => {
    const outcome = await store.retryNow(readId(req), now());
    if (!outcome.ok) {
      const status = outcome.code === "not_found" ? 404 : 409;
      throw new HttpError(
        status,
        outcome.code === "not_found" ? "delivery_not_found" : "not_waiting",
        outcome.reason,
      );
    }
    res.json({
      id: outcome.id,
      status: "pending",
      nextAttemptAt: outcome.nextAttemptAt,
      attemptCount: outcome.attemptCount,
    });
  });

  // The list page's chart: the last 24 hours, the filter's other fields applied.
  api.get("/chart", async (req, res) => {
    const { since: _since, until: _until, ...filter } = readFilter(req, now());
    const until = now();
    const since = new Date(until.getTime() - CHART_RANGE_MS);
    const counts = await store.countByInterval(filter, { since, until, buckets: readBuckets(req) });
    res.json({ since, until, ...counts });
  });

  api.post("/replay", requireInspectScript, async (req, res) => {
    const filter = readFilter(req, now());
    if (Object.keys(filter).length === 0) {
      throw new HttpError(
        400,
        "replay_needs_filter",
        "Replaying every delivery at once is refused; narrow it with a filter (source, status, since, ...).",
      );
    }
    res.status(202).json(await store.replayMatching(filter, now()));
  });

  api.get("/rejections", async (req, res) => {
    const beforeId = readBeforeId(req);
    const rejections = await store.listRejections({
      ...readRejectionFilter(req, now()),
      limit: readLimit(req),
      ...(beforeId === undefined ? {} : { beforeId }),
    });
    res.json({
      rejections: rejections.map((rejection) => ({
        ...rejection,
        bodyExcerpt: rejection.bodyExcerpt.toString("utf8"),
      })),
    });
  });

  return api;
}
