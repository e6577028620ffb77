import type { StoredRejection } from "./inbox.ts";
import type { StoredSnapshot } from "./snapshots.ts";

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

/** A `conversation_snapshots` row as SQLite returns it. */
export interface SnapshotRow {
  uid: string;
  last_changed_ms: number;
  conversation: string;
  origin: "payload" | "api";
  delivery_id: number | null;
  stored_at_ms: number;
}

export function toRejection(row: RejectionRow): StoredRejection {
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

export function toSnapshot(row: SnapshotRow): StoredSnapshot {
  return {
    uid: row.uid,
    lastChanged: new Date(row.last_changed_ms),
    conversation: JSON.parse(row.conversation),
    origin: row.origin,
    deliveryId: row.delivery_id,
    storedAt: new Date(row.stored_at_ms),
  };
}
