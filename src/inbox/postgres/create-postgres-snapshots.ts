import type { SnapshotStore } from "../snapshots.ts";
import type { Pool } from "./create-pool.ts";
import { type SnapshotRow, toStoredSnapshot } from "./snapshot-row.ts";

export function createPostgresSnapshots(pool: Pool): SnapshotStore {
  async function get(uid: string) {
    const { rows } = await pool.query<SnapshotRow>(
      "SELECT * FROM conversation_snapshots WHERE uid = $1",
      [uid],
    );
    return rows[0] && toStoredSnapshot(rows[0]);
  }

  return {
    async save(snapshot) {
      // Same lastChanged replaces (a refetch of the same version); an older one never does. Two
      // instances saving at once are ordered by the row lock the upsert takes.
      const { rows } = await pool.query<SnapshotRow>(
        `INSERT INTO conversation_snapshots (uid, last_changed, conversation, origin, delivery_id, stored_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (uid) DO UPDATE SET last_changed = excluded.last_changed,
           conversation = excluded.conversation, origin = excluded.origin,
           delivery_id = excluded.delivery_id, stored_at = excluded.stored_at
         WHERE excluded.last_changed >= conversation_snapshots.last_changed
         RETURNING *`,
        [
          snapshot.uid,
          snapshot.lastChanged ?? new Date(0),
          JSON.stringify(snapshot.conversation),
          snapshot.origin,
          snapshot.deliveryId,
          snapshot.storedAt,
        ],
      );
      if (rows[0]) return { stored: true, current: toStoredSnapshot(rows[0]) };
      const current = await get(snapshot.uid);
      if (!current) throw new Error(`snapshot ${snapshot.uid} vanished while it was saved`);
      return { stored: false, current };
    },
    get,
  };
}
