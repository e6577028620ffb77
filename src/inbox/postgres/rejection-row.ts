import type { StoredRejection } from "../inbox.ts";

/** A `rejections` row as pg returns it. */
export interface RejectionRow {
  id: number;
  source: string | null;
  method: string;
  path: string;
  status_code: number;
  code: string;
  message: string;
  headers: Record<string, string>;
  body_excerpt: Buffer;
  body_bytes: number;
  received_at: Date;
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
    headers: row.headers,
    bodyExcerpt: row.body_excerpt,
    bodyBytes: row.body_bytes,
    receivedAt: row.received_at,
  };
}
