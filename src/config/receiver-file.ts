import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_PORT } from "./load-config.ts";

/** Written by a listening receiver into its DATA_DIR, so that the developer tools find it. */
export const RECEIVER_FILE = "receiver.json";

const receiverRecordSchema = z.object({ url: z.url(), pid: z.number().int().positive() });

/** Where a running receiver listens, and which process it is. */
export type ReceiverRecord = z.output<typeof receiverRecordSchema>;

/** The receiver's base URL for clients on this machine: a wildcard host becomes `localhost`. */
export function localReceiverUrl(host: string | undefined, port: number): string {
  if (host === undefined || host === "0.0.0.0" || host === "::") return `http://localhost:${port}`;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Records where this receiver listens; written beside and renamed, so no reader sees half. */
export function writeReceiverFile(dataDir: string, record: ReceiverRecord): void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, RECEIVER_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
}

/** Removes the record on a clean stop, unless another receiver has written its own since. */
export function removeReceiverFile(dataDir: string, pid: number = process.pid): void {
  if (readRecord(dataDir)?.pid === pid) rmSync(path.join(dataDir, RECEIVER_FILE), { force: true });
}

/**
 * The receiver recorded in `<dataDir>/receiver.json` if its process is still alive; undefined when
 * there is none, the file is unreadable, or it outlived a receiver that was killed.
 */
export function readRunningReceiver(dataDir: string): ReceiverRecord | undefined {
  const record = readRecord(dataDir);
  return record && isAlive(record.pid) ? record : undefined;
}

function readRecord(dataDir: string): ReceiverRecord | undefined {
  try {
    const json: unknown = JSON.parse(readFileSync(path.join(dataDir, RECEIVER_FILE), "utf8"));
    const parsed = receiverRecordSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Where the developer tools send when no URL is given, and how that was found (for messages). */
export interface LocalReceiver {
  url: string;
  /** E.g. "data/receiver.json (pid 4711)", or why a guess was made. */
  foundBy: string;
}

/**
 * The receiver on this machine: the running one recorded in `<dataDir>/receiver.json`, else the
 * receiver's own defaults (PORT and HOST as `npm start` reads them, port 3000).
 */
export function findLocalReceiver(
  dataDir: string,
  env: Record<string, string | undefined>,
): LocalReceiver {
  const file = path.join(dataDir, RECEIVER_FILE);
  const running = readRunningReceiver(dataDir);
  if (running) return { url: running.url, foundBy: `${file} (pid ${running.pid})` };
  const port = env.PORT?.trim() ?? "";
  const host = env.HOST?.trim() || undefined;
  if (/^[1-9]\d*$/.test(port)) {
    return {
      url: localReceiverUrl(host, Number(port)),
      foundBy: `PORT=${port}; no running receiver in ${file}`,
    };
  }
  return {
    url: localReceiverUrl(host, DEFAULT_PORT),
    foundBy: `the default port; no running receiver in ${file}, and PORT is not set`,
  };
}
