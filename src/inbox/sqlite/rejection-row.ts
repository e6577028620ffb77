import type { StoredRejection } from "../inbox.ts";

/** A `rejections` row as SQLite returns it. */
export interface RejectionRow {
  id: number;
  source: string | null;
  method: string;
  path: string;
  status_code: number;
  code: string;
  message: string;
  headers: string;
  body_excerpt: Buffer;
  body_bytes: number;
  received_at_ms: number;
}

export function toStoredRejection(row: RejectionRow): StoredRejection {
  return {
    id: row.id,
    source: row.source,
    method: row.method,
    path: row.path,
    statusCode: row.status_code,
    code: row.code,
    message: row.message,
    headers: JSON.parse(row.headers) as Record<string, string>,
    bodyExcerpt: row.body_excerpt,
    bodyBytes: row.body_bytes,
    receivedAt: new Date(row.received_at_ms),
  };
}
