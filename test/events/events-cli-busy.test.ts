import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/inbox/sqlite/open-database.ts";
import { runEventsScript } from "../helpers/run-events-cli.ts";
import { seedDeliveries } from "../helpers/seed-deliveries.ts";
import { countRows } from "../helpers/stored.ts";

/** Well past the busy_timeout (5 s) after the CLI starts: SQLite alone would give up (SQLITE_BUSY). */
const LOCK_HELD_MS = 9_000;

let dir: string;
let holder: ChildProcess | undefined;
afterEach(() => {
  holder?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Another process that takes the write lock and keeps it, as a long write elsewhere would. */
async function holdWriteLock(file: string, ms: number): Promise<ChildProcess> {
  const script = `
    const db = new (require("better-sqlite3"))(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("locked\\n");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec("COMMIT");`;
  const child = spawn(process.execPath, ["-e", script, file, String(ms)], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    stdio: ["ignore", "pipe", "inherit"],
  });
  await once(child.stdout ?? child, "data");
  return child;
}

describe("npm run events on a database another process is writing", () => {
  it("waits for the lock and replays, instead of crashing with SQLITE_BUSY", async () => {
    dir = mkdtempSync(path.join(tmpdir(), "events-busy-"));
    const file = path.join(dir, "inbox.db");
    const db = openDatabase(file);
    seedDeliveries(
      db,
      Array.from({ length: 50 }, () => ({ status: "done" })),
    );
    holder = await holdWriteLock(file, LOCK_HELD_MS);

    const run = await runEventsScript(["replay", "--status", "done"], { DATABASE_PATH: file });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("Replayed 50 deliveries.");
    expect(countRows(db, "deliveries", "status = 'pending'")).toBe(50);
    db.close();
  }, 30_000);
});
