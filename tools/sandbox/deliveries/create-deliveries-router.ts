import express, { Router } from "express";
import { z } from "zod";
import { sendError } from "../send-error.ts";
import type { DeliveryEngine } from "./create-delivery-engine.ts";
import type { DeliveryLog } from "./delivery-log.ts";
import type { DeliveryRecord } from "./delivery-record.ts";

const isoOrMs = z
  .union([z.number(), z.iso.datetime({ offset: true })])
  .transform((value) => (typeof value === "number" ? value : Date.parse(value)));
const rangeSchema = z.object({
  from: isoOrMs,
  to: isoOrMs.optional(),
  source: z.enum(["credo", "capturi"]).optional(),
});
const listQuerySchema = z.object({
  source: z.enum(["credo", "capturi"]).optional(),
  status: z.enum(["pending", "delivered", "failed", "aborted"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The webhook log: every delivery with its attempts, and replay of one or of a time range. */
export function createDeliveriesRouter(log: DeliveryLog, engine: DeliveryEngine): Router {
  const router = Router();

  router.get("/deliveries", (req, res) => {
    const query = listQuerySchema.safeParse(req.query);
    if (!query.success) return sendError(res, 400, "invalid_query", z.prettifyError(query.error));
    const { source, status, limit } = query.data;
    const matching = log
      .all()
      .filter((record) => (source ? record.source === source : true))
      .filter((record) => (status ? record.status === status : true));
    res.json({
      deliveries: matching.slice(-limit).reverse().map(summarise),
      total: matching.length,
    });
  });

  router.get("/deliveries/:id", (req, res) => {
    const record = log.get(req.params.id);
    if (record === undefined)
      return sendError(res, 404, "not_found", `No delivery ${req.params.id}`);
    res.json(record);
  });

  router.post("/deliveries/:id/replay", (req, res) => {
    const record = engine.replay(req.params.id);
    if (record === undefined)
      return sendError(res, 404, "not_found", `No delivery ${req.params.id}`);
    res.status(202).json(summarise(record));
  });

  router.post("/deliveries/replay", express.json(), (req, res) => {
    const range = rangeSchema.safeParse(req.body ?? {});
    if (!range.success) {
      const message = `Send {"from": <ISO date-time or epoch ms>, "to"?: ..., "source"?: "credo"|"capturi"}. ${z.prettifyError(range.error)}`;
      return sendError(res, 400, "invalid_range", message);
    }
    const { from, to = Date.now(), source } = range.data;
    const replayed = engine.replayRange(from, to, source);
    res.status(202).json({ replayed: replayed.map(summarise) });
  });

  return router;
}

/** A log line without the body: what a list shows. */
function summarise(record: DeliveryRecord) {
  const last = record.attempts.at(-1);
  return {
    id: record.id,
    source: record.source,
    event: record.event,
    messageId: record.messageId,
    endpoint: record.endpoint,
    url: record.url,
    status: record.status,
    createdAt: new Date(record.createdAtMs).toISOString(),
    attempts: record.attempts.length,
    nextAttemptAt:
      record.nextAttemptAtMs === null ? null : new Date(record.nextAttemptAtMs).toISOString(),
    lastResponse: last
      ? { status: last.status, body: last.responseExcerpt, error: last.error }
      : null,
  };
}
