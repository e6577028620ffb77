import { Router } from "express";
import { requireInspectAccess } from "../inspect/inspect-access.ts";
import type { Metrics } from "./create-metrics.ts";
import type { Readiness } from "./create-readiness.ts";

export interface OperationsRouterOptions {
  readiness: Readiness;
  /** Absent: no `/metrics`. */
  metrics?: Metrics;
  /** `/metrics` follows the `/inspect` rule: loopback (outside production), or INSPECT_TOKEN. */
  access: { token: string | undefined; trustLoopback: boolean };
}

/**
 * The probes and the metrics (docs/operating.md):
 * - `/livez`: the process answers; no database involved, so a slow disk never gets it killed.
 * - `/readyz` (and `/healthz`, its old name): the inbox takes a delivery-sized write and the
 *   process is not shutting down; 503 otherwise. Public: it says nothing but ready or why not.
 * - `/metrics`: Prometheus text, behind the inspect access rule: it names sources and volumes.
 */
export function createOperationsRouter(options: OperationsRouterOptions): Router {
  const { readiness, metrics } = options;
  const router = Router();
  router.get("/livez", (_req, res) => {
    res.set("cache-control", "no-store").json({ status: "ok" });
  });
  router.get(["/readyz", "/healthz"], async (_req, res) => {
    const state = await readiness.check();
    res.set("cache-control", "no-store");
    if (state.ready) res.json({ status: "ok" });
    else res.status(503).json({ code: state.code, message: state.message });
  });
  if (metrics) {
    router.get(
      "/metrics",
      requireInspectAccess(options.access.token, options.access.trustLoopback),
      async (_req, res) => {
        const { contentType, body } = await metrics.scrape();
        res.set("cache-control", "no-store").type(contentType).send(body);
      },
    );
  }
  return router;
}
