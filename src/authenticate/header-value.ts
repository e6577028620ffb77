import type { IncomingRequest } from "../sources/source.ts";

/** The first value of a header, or undefined when it is absent or blank. */
export function headerValue(request: IncomingRequest, name: string): string | undefined {
  const raw = request.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined || value.trim() === "" ? undefined : value;
}
