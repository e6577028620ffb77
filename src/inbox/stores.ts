import type { Inbox } from "./inbox.ts";
import type { InspectStore } from "./inspect-store.ts";
import type { SnapshotStore } from "./snapshots.ts";
import type { WorkQueue } from "./work-queue.ts";

/** What the stores report as they work, for `/metrics`; every callback is optional. */
export interface StoreObservers {
  /** Deliveries (and rejections) that shared one commit. */
  commitBatchSize?(size: number): void;
}

/**
 * Every store of one inbox database, opened together. Each implementation (`sqlite/`, and any
 * other beside it) returns this from one function; nothing outside `src/inbox/` sees its SQL.
 */
export interface Stores {
  inbox: Inbox;
  queue: WorkQueue;
  snapshots: SnapshotStore;
  inspect: InspectStore;
  /** Which database this is, for the start-up log (never a password). */
  description: string;
  /** Closes the connections; pending writes have settled by the time it resolves. */
  close(): Promise<void>;
}
