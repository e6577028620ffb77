import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * What a proxy's or a sender's id may look like to be kept: 1-128 characters of letters, digits
 * and `._:/+=@-` (UUIDs, ULIDs, W3C trace ids, AWS `Root=1-…`). Anything else (too long, spaces,
 * quotes, control characters that would forge log lines) is replaced by a generated UUID.
 */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();

/**
 * The id of this request: `x-request-id` when it is acceptable, else a new UUID. The first call
 * decides it and, given the response, sets the response header; later calls return the same id.
 */
export function requestIdOf(req: IncomingMessage, res?: ServerResponse): string {
  let id = ids.get(req);
  if (id === undefined) {
    const given = req.headers[REQUEST_ID_HEADER];
    id = typeof given === "string" && ACCEPTABLE_ID.test(given) ? given : randomUUID();
    ids.set(req, id);
  }
  if (res && !res.headersSent && !res.hasHeader(REQUEST_ID_HEADER)) {
    res.setHeader(REQUEST_ID_HEADER, id);
  }
  return id;
}
