import type { Request } from "express";
import { HttpError } from "../http/http-error.ts";
import { queryText } from "./read-query.ts";

const MAX_URL_LENGTH = 2000;

/** Where "Copy as curl" sends by default: this receiver's route on a developer's machine. */
export function defaultCurlUrl(source: string): string {
  return `http://localhost:3000/webhooks/${encodeURIComponent(source)}`;
}

/** The `url` query parameter: an http(s) URL (400 with what to fix otherwise), or the default. */
export function readCurlUrl(req: Request, source: string): string {
  const text = queryText(req, "url")?.trim();
  if (!text) return defaultCurlUrl(source);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !["http:", "https:"].includes(url.protocol) || text.length > MAX_URL_LENGTH) {
    throw new HttpError(
      400,
      "invalid_curl_url",
      `url must be an http:// or https:// URL of at most ${MAX_URL_LENGTH} characters, such as ${defaultCurlUrl(source)}.`,
    );
  }
  return url.href;
}
