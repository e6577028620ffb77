import { readFileSync } from "node:fs";
import express, { Router } from "express";
import { HttpError } from "../http/http-error.ts";
import { DEFAULT_PAGE_SIZE, type InspectStore } from "../inbox/inspect-store.ts";
import { buildReplayCurl } from "./build-replay-curl.ts";
import { CHART_RANGE_MS, createInspectApi, DEFAULT_CHART_BUCKETS } from "./create-inspect-api.ts";
import {
  constantTimeEqual,
  requireInspectAccess,
  SESSION_COOKIE,
  sessionValue,
} from "./inspect-access.ts";
import { deliveryPage } from "./pages/delivery-page.ts";
import { listPage } from "./pages/list-page.ts";
import { loginPage } from "./pages/login-page.ts";
import { rejectionsPage } from "./pages/rejections-page.ts";
import { filterQuery, parseCursor, parseFilter } from "./parse-filter.ts";
import { parseRejectionFilter } from "./parse-rejection-filter.ts";
import { defaultCurlUrl } from "./read-curl-url.ts";
import {
  filterInput,
  parseBeforeId,
  queryText,
  readId,
  rejectionFilterInput,
} from "./read-query.ts";
import { securityHeaders } from "./security-headers.ts";

export interface InspectRouterOptions {
  store: InspectStore;
  /** Source names, for the filter form. */
  sources: readonly string[];
  /** When set, clients that are not on loopback may use the pages by presenting it. */
  token: string | undefined;
  /**
   * Let loopback clients in without the token. Off in production: a reverse proxy on the same
   * machine (nginx's `proxy_pass http://127.0.0.1:3000`) makes every client look local.
   */
  trustLoopback?: boolean;
  /** Suggested in the event-type filter: every event type the sources route on. */
  eventTypes: readonly string[];
  /**
   * Standard Webhooks secrets generated for development, by source name: "Copy as curl" signs
   * with them. Never pass a configured secret; without one the command signs with `$WEBHOOK_SECRET`.
   */
  developmentSigningSecrets?: Readonly<Record<string, string>>;
  /**
   * The header each header-token source reads its token from, by source name (Capturi's
   * CAPTURI_TOKEN_HEADER): "Copy as curl" sends the token there. Absent: `authorization`.
   */
  tokenHeaders?: Readonly<Record<string, string>>;
  now?: () => Date;
}

const ASSETS = {
  "inspect.js": "text/javascript; charset=utf-8",
  "inspect.css": "text/css; charset=utf-8",
  // Linked from every page, so that browsers do not ask for /favicon.ico and log a 404.
  "favicon.svg": "image/svg+xml",
} as const;

/** `/inspect`: the pages, their script and styles, and the JSON API, behind one access check. */
export function createInspectRouter(options: InspectRouterOptions): Router {
  const { store, token } = options;
  const now = options.now ?? (() => new Date());
  const { eventTypes } = options;
  const developmentSigningSecrets = options.developmentSigningSecrets ?? {};
  const tokenHeaders = options.tokenHeaders ?? {};
  const assets = Object.fromEntries(
    Object.keys(ASSETS).map((name) => [
      name,
      readFileSync(new URL(`./assets/${name}`, import.meta.url)),
    ]),
  );
  const router = Router();
  router.use("/inspect", securityHeaders);

  if (token !== undefined) {
    router.get("/inspect/login", (_req, res) => {
      res.type("html").send(loginPage());
    });
    router.post(
      "/inspect/login",
      express.urlencoded({ extended: false, limit: "2kb" }),
      (req, res) => {
        const given = typeof req.body?.token === "string" ? req.body.token : "";
        if (!constantTimeEqual(given, token)) {
          throw new HttpError(
            401,
            "invalid_inspect_token",
            "That is not the INSPECT_TOKEN; try again at /inspect/login.",
          );
        }
        res.cookie(SESSION_COOKIE, sessionValue(token), {
          httpOnly: true,
          sameSite: "strict",
          secure: req.secure,
          path: "/inspect",
          maxAge: 7 * 24 * 3_600_000,
        });
        res.redirect(303, "/inspect");
      },
    );
  }
  router.use("/inspect", requireInspectAccess(token, options.trustLoopback ?? true));

  for (const [name, contentType] of Object.entries(ASSETS)) {
    router.get(`/inspect/assets/${name}`, (_req, res) => {
      res.type(contentType).send(assets[name]);
    });
  }
  router.use(
    "/inspect/api",
    createInspectApi({ store, now, developmentSigningSecrets, tokenHeaders }),
  );

  router.get("/inspect", async (req, res) => {
    const input = filterInput(req);
    const parsed = parseFilter(input, now());
    const filter = parsed.ok ? parsed.value : {};
    const before = parseCursor(queryText(req, "before") ?? "");
    const until = now();
    const { since: _since, until: _until, ...chartFilter } = filter;
    const refusedSince = new Date(until.getTime() - 3_600_000);
    const [page, counts, chart, refused] = await Promise.all([
      store.listDeliveries(filter, before ? { before } : {}),
      store.countByStatus(filter),
      store.countByInterval(chartFilter, {
        since: new Date(until.getTime() - CHART_RANGE_MS),
        until,
        buckets: DEFAULT_CHART_BUCKETS,
      }),
      store.countRejectionsSince(refusedSince),
    ]);
    res.type("html").send(
      listPage({
        input,
        page,
        counts,
        sources: options.sources,
        eventTypes,
        paged: before !== undefined,
        now: until,
        chart,
        chartHours: CHART_RANGE_MS / 3_600_000,
        refused: { count: refused, since: refusedSince },
        ...(parsed.ok ? {} : { error: parsed.error }),
      }),
    );
  });

  router.get("/inspect/deliveries/:id", async (req, res) => {
    const id = readId(req);
    const detail = await store.getDelivery(id);
    if (!detail) throw new HttpError(404, "delivery_not_found", `No delivery ${id}.`);
    const curlUrl = defaultCurlUrl(detail.delivery.source);
    const curl = buildReplayCurl({
      delivery: detail.delivery,
      url: curlUrl,
      developmentSecret: developmentSigningSecrets[detail.delivery.source],
      tokenHeader: tokenHeaders[detail.delivery.source],
      now: now(),
    });
    res.type("html").send(deliveryPage(detail, { now: now(), curl, curlUrl }));
  });

  router.get("/inspect/rejections", async (req, res) => {
    const input = rejectionFilterInput(req);
    // A wrong field answers 400, said on the page above its form (and the unfiltered list).
    const before = parseBeforeId(queryText(req, "before"));
    const filter = parseRejectionFilter(input, now());
    const parsed = before.ok ? filter : before;
    const rejections = await store.listRejections({
      ...(filter.ok ? filter.value : {}),
      ...(before.ok && before.value !== undefined ? { beforeId: before.value } : {}),
    });
    const last = rejections.at(-1);
    // The next page keeps the filter as typed (the same text parses the same way).
    const older =
      rejections.length >= DEFAULT_PAGE_SIZE && last
        ? `/inspect/rejections${filterQuery(input, { before: String(last.id) })}`
        : undefined;
    res
      .status(parsed.ok ? 200 : 400)
      .type("html")
      .send(
        rejectionsPage({
          rejections,
          input,
          sources: options.sources,
          now: now(),
          olderHref: older,
          ...(parsed.ok ? {} : { error: parsed.error }),
        }),
      );
  });

  return router;
}
