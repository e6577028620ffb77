import type { NewSnapshot, SnapshotStore, StoredSnapshot } from "../snapshots.ts";
import type { Db } from "./open-database.ts";
import { type SnapshotRow, toStoredSnapshot } from "./snapshot-row.ts";

export function createSqliteSnapshots(db: Db): SnapshotStore {
  const statements = {
    // Same lastChanged replaces (a refetch of the same version); an older one never does.
    upsert: db.prepare<Record<string, unknown>>(`
      INSERT INTO conversation_snapshots (uid, last_changed_ms, conversation, origin, delivery_id, stored_at_ms)
      VALUES (@uid, @lastChangedMs, @conversation, @origin, @deliveryId, @storedAtMs)
      ON CONFLICT (uid) DO UPDATE SET last_changed_ms = excluded.last_changed_ms,
        conversation = excluded.conversation, origin = excluded.origin,
        delivery_id = excluded.delivery_id, stored_at_ms = excluded.stored_at_ms
      WHERE excluded.last_changed_ms >= conversation_snapshots.last_changed_ms`),
    get: db.prepare<[string], SnapshotRow>("SELECT * FROM conversation_snapshots WHERE uid = ?"),
  };

  function get(uid: string): StoredSnapshot | undefined {
    const row = statements.get.get(uid);
    return row && toStoredSnapshot(row);
  }

  const save = db.transaction((snapshot: NewSnapshot) => {
    const { changes } = statements.upsert.run({
      uid: snapshot.uid,
      lastChangedMs: snapshot.lastChanged?.getTime() ?? 0,
      conversation: JSON.stringify(snapshot.conversation),
      origin: snapshot.origin,
      deliveryId: snapshot.deliveryId,
      storedAtMs: snapshot.storedAt.getTime(),
    });
    const current = get(snapshot.uid);
    if (!current) throw new Error(`snapshot ${snapshot.uid} vanished while it was saved`);
    return { stored: changes === 1, current };
  });

  return {
    save: async (snapshot) => save.immediate(snapshot),
    get: async (uid) => get(uid),
  };
}
