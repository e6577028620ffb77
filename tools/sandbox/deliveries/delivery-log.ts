import { readJsonFile, writeJsonFile } from "../json-file.ts";
import type { DeliveryRecord } from "./delivery-record.ts";

/** Every delivery and attempt, kept in a JSON file so that pending retries survive a restart. */
export interface DeliveryLog {
  all(): DeliveryRecord[];
  get(id: string): DeliveryRecord | undefined;
  put(record: DeliveryRecord): void;
  /** Writes now instead of at the end of the current tick. */
  flush(): void;
}

/** `file` null keeps the log in memory only. Writes are coalesced to one per tick. */
export function createDeliveryLog(file: string | null): DeliveryLog {
  const records = new Map<string, DeliveryRecord>(
    (file === null ? [] : readJsonFile<DeliveryRecord[]>(file, [])).map((record) => [
      record.id,
      record,
    ]),
  );
  let dirty = false;
  const flush = () => {
    if (!dirty || file === null) return;
    dirty = false;
    writeJsonFile(file, [...records.values()]);
  };
  return {
    all: () => [...records.values()],
    get: (id) => records.get(id),
    put(record) {
      records.set(record.id, record);
      if (!dirty && file !== null) setImmediate(flush);
      dirty = true;
    },
    flush,
  };
}
