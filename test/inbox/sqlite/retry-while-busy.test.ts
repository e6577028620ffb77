import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { StoreBusyError } from "../../../src/inbox/inspect-store.ts";
import { retryWhileBusy } from "../../../src/inbox/sqlite/retry-while-busy.ts";

const busy = () => new Database.SqliteError("database is locked", "SQLITE_BUSY");
const fast = { tries: 3, pauseMs: 1 };

describe("retryWhileBusy", () => {
  it("tries a write again while another connection holds the lock", async () => {
    let calls = 0;
    const result = await retryWhileBusy(() => {
      calls += 1;
      if (calls < 3) throw busy();
      return "written";
    }, fast);
    expect(result).toBe("written");
    expect(calls).toBe(3);
  });

  it("gives up with a StoreBusyError that says what to do", async () => {
    const failing = retryWhileBusy(() => {
      throw busy();
    }, fast);
    await expect(failing).rejects.toBeInstanceOf(StoreBusyError);
    await expect(failing).rejects.toThrow(/stayed locked by another writer.*Try again/);
  });

  it("lets any other error through at once", async () => {
    let calls = 0;
    const failing = retryWhileBusy(() => {
      calls += 1;
      throw new Database.SqliteError("disk I/O error", "SQLITE_IOERR");
    }, fast);
    await expect(failing).rejects.toThrow("disk I/O error");
    expect(calls).toBe(1);
  });
});
