/**
 * The newest known version of each conversation, as handlers fetched or received it. A snapshot is
 * never replaced by an older one (`lastChanged` orders versions), because deliveries and fetches
 * can finish out of order.
 */
export interface SnapshotStore {
  /** Stores the snapshot unless a newer one is stored; resolves with whichever is now current. */
  save(snapshot: NewSnapshot): Promise<{ stored: boolean; current: StoredSnapshot }>;
  get(uid: string): Promise<StoredSnapshot | undefined>;
}

export interface NewSnapshot {
  uid: string;
  /** Orders versions; a conversation without `lastChanged` counts as the oldest possible. */
  lastChanged: Date | null;
  /** The conversation as JSON-ready data, already validated by its schema. */
  conversation: unknown;
  origin: "payload" | "api";
  deliveryId: number | null;
  storedAt: Date;
}

export interface StoredSnapshot extends Omit<NewSnapshot, "lastChanged"> {
  lastChanged: Date;
}
