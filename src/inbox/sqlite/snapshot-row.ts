import type { StoredSnapshot } from "../snapshots.ts";

/** A `conversation_snapshots` row as SQLite returns it. */
export interface SnapshotRow {
  uid: string;
  last_changed_ms: number;
  conversation: string;
  origin: "payload" | "api";
  delivery_id: number | null;
  stored_at_ms: number;
}

export function toStoredSnapshot(row: SnapshotRow): StoredSnapshot {
  return {
    uid: row.uid,
    lastChanged: new Date(row.last_changed_ms),
    conversation: JSON.parse(row.conversation),
    origin: row.origin,
    deliveryId: row.delivery_id,
    storedAt: new Date(row.stored_at_ms),
  };
}
