import type { StoredSnapshot } from "../snapshots.ts";

/** A `conversation_snapshots` row as pg returns it. */
export interface SnapshotRow {
  uid: string;
  last_changed: Date;
  conversation: unknown;
  origin: "payload" | "api";
  delivery_id: number | null;
  stored_at: Date;
}

export function toStoredSnapshot(row: SnapshotRow): StoredSnapshot {
  return {
    uid: row.uid,
    lastChanged: row.last_changed,
    conversation: row.conversation,
    origin: row.origin,
    deliveryId: row.delivery_id,
    storedAt: row.stored_at,
  };
}
