import { createHmac, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { HttpError } from "../http/http-error.ts";

export const SESSION_COOKIE = "inspect_session";

const LOOPBACK_ADDRESSES = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;
/** A proxy on the same machine makes every client look local: its requests are not trusted as such. */
const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip"] as const;

/**
 * Who may see the inspect pages: a browser on this machine, or anyone presenting INSPECT_TOKEN
 * (`Authorization: Bearer …`, or the cookie that `/inspect/login` sets).
 */
export function requireInspectAccess(
  token: string | undefined,
  trustLoopback: boolean,
): RequestHandler {
  return (req, _res, next) => {
    if (trustLoopback && isLocalRequest(req)) return next();
    if (token === undefined && !trustLoopback) {
      throw new HttpError(
        403,
        "inspect_needs_token",
        "In production the inspect pages need INSPECT_TOKEN, even on loopback: a reverse proxy on this machine would make every client look local.",
      );
    }
    if (token === undefined) {
      throw new HttpError(
        403,
        "inspect_loopback_only",
        "The inspect pages answer only on loopback (http://localhost). Set INSPECT_TOKEN to open them to other clients.",
      );
    }
    if (presentsToken(req, token)) return next();
    throw new HttpError(
      401,
      "inspect_token_required",
      "Send Authorization: Bearer <INSPECT_TOKEN>, or sign in at /inspect/login.",
    );
  };
}

/**
 * The socket's peer is loopback (never X-Forwarded-For, which anyone can send) and the Host
 * names loopback too: a page on another site whose name resolves to 127.0.0.1 (DNS rebinding)
 * sends its own Host, so it is not let in.
 */
export function isLocalRequest(req: Request): boolean {
  const address = req.socket.remoteAddress ?? "";
  if (!LOOPBACK_ADDRESSES.has(address)) return false;
  if (PROXY_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  return LOOPBACK_HOST.test(req.headers.host ?? "");
}

function presentsToken(req: Request, token: string): boolean {
  const authorization = req.headers.authorization ?? "";
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
  if (bearer !== undefined && constantTimeEqual(bearer, token)) return true;
  const cookie = readCookie(req, SESSION_COOKIE);
  return cookie !== undefined && constantTimeEqual(cookie, sessionValue(token));
}

/** What the cookie holds: derived from the token, so that the token itself never sits in a cookie. */
export function sessionValue(token: string): string {
  return createHmac("sha256", token).update("webhook-inbox inspect session v1").digest("base64url");
}

/** Compares digests, so that neither the length nor the content leaks through timing. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHmac("sha256", "inspect-compare").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/**
 * Changes (replay) come only from our own script: it sends this header, which a page on another
 * site cannot send without a CORS preflight that is never granted.
 */
export const INSPECT_REQUEST_HEADER = "x-inspect-request";

export const requireInspectScript: RequestHandler = (req, _res, next) => {
  const site = req.headers["sec-fetch-site"];
  if (
    req.headers[INSPECT_REQUEST_HEADER] !== "1" ||
    (site !== undefined && site !== "same-origin")
  ) {
    throw new HttpError(
      403,
      "inspect_cross_site",
      `Changes are accepted only from the inspect page itself (header ${INSPECT_REQUEST_HEADER}: 1).`,
    );
  }
  next();
};
