import express, { Router } from "express";
import { z } from "zod";
import { sendError } from "../send-error.ts";
import { type TriggerDeps, triggerEvent, triggerRequestSchema } from "./trigger-event.ts";

/** `POST /trigger {source, event, count?, eventId?, mode?, casing?}`: make the provider send an event. */
export function createTriggerRouter(deps: TriggerDeps): Router {
  const router = Router();
  router.post("/trigger", express.json(), (req, res) => {
    const request = triggerRequestSchema.safeParse(req.body ?? {});
    if (!request.success) {
      return sendError(res, 400, "invalid_trigger", z.prettifyError(request.error));
    }
    res.status(202).json(triggerEvent(deps, request.data));
  });
  return router;
}
