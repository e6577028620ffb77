import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  findLocalReceiver,
  localReceiverUrl,
  RECEIVER_FILE,
  readRunningReceiver,
  removeReceiverFile,
  writeReceiverFile,
} from "../../src/config/receiver-file.ts";

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid ?? 0;
}

const dataDir = () => mkdtempSync(path.join(tmpdir(), "receiver-file-"));

describe("<DATA_DIR>/receiver.json", () => {
  it("records where a live receiver listens, and is removed by that receiver only", () => {
    const dir = dataDir();
    writeReceiverFile(dir, { url: "http://localhost:3105", pid: process.pid });
    expect(readRunningReceiver(dir)).toEqual({ url: "http://localhost:3105", pid: process.pid });

    removeReceiverFile(dir, process.pid + 1);
    expect(existsSync(path.join(dir, RECEIVER_FILE))).toBe(true);
    removeReceiverFile(dir, process.pid);
    expect(existsSync(path.join(dir, RECEIVER_FILE))).toBe(false);
    expect(readRunningReceiver(dir)).toBeUndefined();
  });

  it("is ignored once its receiver is gone, or when it is not what a receiver writes", () => {
    const dir = dataDir();
    writeReceiverFile(dir, { url: "http://localhost:3105", pid: deadPid() });
    expect(readRunningReceiver(dir)).toBeUndefined();
    writeFileSync(path.join(dir, RECEIVER_FILE), "{not json");
    expect(readRunningReceiver(dir)).toBeUndefined();
  });
});

describe("findLocalReceiver", () => {
  it("prefers the running receiver, then PORT (and HOST), then port 3000, saying which", () => {
    const dir = dataDir();
    const file = path.join(dir, RECEIVER_FILE);
    expect(findLocalReceiver(dir, {})).toEqual({
      url: "http://localhost:3000",
      foundBy: `the default port; no running receiver in ${file}, and PORT is not set`,
    });
    expect(findLocalReceiver(dir, { PORT: "3105", HOST: "127.0.0.1" })).toEqual({
      url: "http://127.0.0.1:3105",
      foundBy: `PORT=3105; no running receiver in ${file}`,
    });
    writeReceiverFile(dir, { url: "http://localhost:4711", pid: process.pid });
    expect(findLocalReceiver(dir, { PORT: "3105" })).toEqual({
      url: "http://localhost:4711",
      foundBy: `${file} (pid ${process.pid})`,
    });
  });

  it("turns the host a receiver listens on into one a client can call", () => {
    expect(localReceiverUrl(undefined, 3000)).toBe("http://localhost:3000");
    expect(localReceiverUrl("0.0.0.0", 3000)).toBe("http://localhost:3000");
    expect(localReceiverUrl("::", 3000)).toBe("http://localhost:3000");
    expect(localReceiverUrl("127.0.0.1", 3000)).toBe("http://127.0.0.1:3000");
    expect(localReceiverUrl("::1", 3000)).toBe("http://[::1]:3000");
  });
});
