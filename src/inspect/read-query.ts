import type { Request } from "express";
import { HttpError } from "../http/http-error.ts";
import type { DeliveryFilter, RejectionFilter } from "../inbox/inspect-store.ts";
import { type FilterInput, parseFilter } from "./parse-filter.ts";
import { parseRejectionFilter, type RejectionFilterInput } from "./parse-rejection-filter.ts";

/** One query parameter as text; repeated or nested parameters count as absent. */
export function queryText(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === "string" ? value : undefined;
}

export function filterInput(req: Request): FilterInput {
  return {
    source: queryText(req, "source"),
    eventType: queryText(req, "eventType"),
    status: queryText(req, "status"),
    since: queryText(req, "since"),
    until: queryText(req, "until"),
    search: queryText(req, "search"),
  };
}

/** The filter of the query string; a wrong field answers 400 with what to fix. */
export function readFilter(req: Request, now: Date): DeliveryFilter {
  const parsed = parseFilter(filterInput(req), now);
  if (!parsed.ok) throw new HttpError(400, "invalid_filter", parsed.error);
  return parsed.value;
}

export function rejectionFilterInput(req: Request): RejectionFilterInput {
  return {
    source: queryText(req, "source"),
    code: queryText(req, "code"),
    since: queryText(req, "since"),
    until: queryText(req, "until"),
  };
}

/** The rejections filter of the query string (source, code, since, until); 400 when wrong. */
export function readRejectionFilter(req: Request, now: Date): RejectionFilter {
  const parsed = parseRejectionFilter(rejectionFilterInput(req), now);
  if (!parsed.ok) throw new HttpError(400, "invalid_filter", parsed.error);
  return parsed.value;
}

/**
 * The rejection list's `before`: the id of the last rejection of the previous page, or none
 * (absent, empty or 0). Only the digits of an id pass, as `readId` allows: `1.5` or `1e20` would
 * reach the database as a number that is not a bigint.
 */
export function parseBeforeId(
  text: string | undefined,
): { ok: true; value: number | undefined } | { ok: false; error: string } {
  if (text === undefined || text === "") return { ok: true, value: undefined };
  if (!/^\d{1,15}$/.test(text)) {
    return {
      ok: false,
      error: `before must be the id of a rejection, as the link to older ones gives it; got "${text.slice(0, 20)}".`,
    };
  }
  const id = Number(text);
  return { ok: true, value: id > 0 ? id : undefined };
}

/** `parseBeforeId` of the query string; 400 when wrong. */
export function readBeforeId(req: Request): number | undefined {
  const parsed = parseBeforeId(queryText(req, "before"));
  if (!parsed.ok) throw new HttpError(400, "invalid_cursor", parsed.error);
  return parsed.value;
}

export function readId(req: Request): number {
  const id = String(req.params.id ?? "");
  if (!/^\d{1,15}$/.test(id)) throw new HttpError(404, "delivery_not_found", `No delivery ${id}.`);
  return Number(id);
}

export function readLimit(req: Request): number | undefined {
  const limit = queryText(req, "limit");
  if (limit === undefined) return undefined;
  if (!/^\d{1,4}$/.test(limit))
    throw new HttpError(400, "invalid_limit", "limit must be a whole number.");
  return Number(limit);
}
