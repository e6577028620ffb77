import type { DeliveryAnswer } from "./inbox.ts";

/**
 * The stored answer as it was sent. The receiver answers `{"id":…,…}`, but the id is assigned by
 * the insert itself: storing the body without it and putting `"id"` back here, as the first key
 * (where the receiver puts it), costs nothing, where writing the full body would need an UPDATE
 * after every insert on the acknowledgement's path. Null for rows stored before answers were kept.
 */
export function answerOf(
  id: number,
  statusCode: number | null,
  bodyWithoutId: string | null,
): DeliveryAnswer | null {
  if (statusCode === null || bodyWithoutId === null) return null;
  const rest = bodyWithoutId.trim();
  if (!rest.startsWith("{")) return { statusCode, body: rest };
  const inner = rest.slice(1).trimStart();
  return {
    statusCode,
    body: inner.startsWith("}") ? `{"id":${id}}` : `{"id":${id},${inner}`,
  };
}
