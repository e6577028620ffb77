import type { InspectStore } from "../inbox/inspect-store.ts";

/** A replay from the page wakes the worker of this process at once instead of at its next poll. */
export function wakeOnReplay(store: InspectStore, wake: () => void): InspectStore {
  return {
    ...store,
    async replay(id, now) {
      const outcome = await store.replay(id, now);
      if (outcome.ok) wake();
      return outcome;
    },
    async replayMatching(filter, now) {
      const result = await store.replayMatching(filter, now);
      if (result.replayed > 0) wake();
      return result;
    },
  };
}
