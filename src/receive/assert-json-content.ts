import type { IncomingHttpHeaders } from "node:http";
import { HttpError } from "../http/http-error.ts";

/** Missing Content-Type is tolerated (the body is still JSON-parsed); a non-JSON one is refused. */
export function assertJsonContent(headers: IncomingHttpHeaders): void {
  const contentType = headers["content-type"];
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
  const encoding = headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Encoding ${encoding} is not supported; send the body uncompressed.`,
    );
  }
  // Node takes the body out of chunked framing but leaves any other transfer coding in it.
  const transfer = headers["transfer-encoding"];
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
