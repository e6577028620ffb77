import { openSqliteStores } from "./sqlite/open-sqlite-stores.ts";
import type { Stores } from "./stores.ts";

export interface StoresOptions {
  /** The SQLite file of the embedded default. */
  databasePath: string;
}

/** Opens the inbox the configuration names. */
export function openStores(options: StoresOptions): Stores {
  return openSqliteStores(options.databasePath);
}
