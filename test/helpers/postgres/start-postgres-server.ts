import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../free-port.ts";

export interface PostgresServer {
  /** A superuser URL of the `postgres` database, on loopback. */
  url: string;
  /** Which binaries run it, for logs and reports. */
  version: string;
  /** Stops the server (immediately) and deletes its directory. */
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /**
   * fsync on (a benchmark of durable commits). Off by default: tests lose nothing to a crash of a
   * throwaway server, and synchronous_commit stays on either way.
   */
  durable?: boolean;
  /** Where the data directory goes; its disk must not be a tmpfs for a durable benchmark. */
  parentDir?: string;
}

/**
 * Starts a throwaway PostgreSQL server from the machine's own binaries (Debian's `postgresql`
 * package, or initdb/pg_ctl on PATH): initdb into a temporary directory, pg_ctl start on a free
 * loopback port, trust authentication on loopback only. As root, the server runs as the
 * `postgres` user, since PostgreSQL refuses to run as root.
 */
export async function startPostgresServer(
  options: PostgresServerOptions = {},
): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const runAs = runAsPostgres();
  const dir = mkdtempSync(path.join(options.parentDir ?? tmpdir(), "webhook-inbox-pg-"));
  if (runAs.owner) chownSync(dir, runAs.owner.uid, runAs.owner.gid);
  const data = path.join(dir, "data");
  const run = (command: string, args: string[]) => runAs.run(path.join(bin, command), args);
  try {
    run("initdb", [
      "-D",
      data,
      "-A",
      "trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--no-locale",
      "--no-sync",
    ]);
    const port = await startOnFreePort(run, dir, data, options.durable ?? false);
    const version = readFileSync(path.join(data, "PG_VERSION"), "utf8").trim();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      version: `PostgreSQL ${version} (${bin})`,
      async stop() {
        try {
          run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

type Run = (command: string, args: string[]) => void;

/** A port free a moment ago may be taken before the server binds it: try a few. */
async function startOnFreePort(run: Run, dir: string, data: string, durable: boolean) {
  const settings = [
    "-c listen_addresses=127.0.0.1",
    `-k ${dir}`,
    "-c max_connections=200",
    ...(durable ? [] : ["-c fsync=off", "-c full_page_writes=off"]),
  ];
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    try {
      run("pg_ctl", [
        "-D",
        data,
        "-w",
        "-t",
        "30",
        "-l",
        path.join(dir, "server.log"),
        "-o",
        `${settings.join(" ")} -p ${port}`,
        "start",
      ]);
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  const log = path.join(dir, "server.log");
  throw new Error(
    `PostgreSQL did not start: ${(lastError as Error).message}\n${existsSync(log) ? readFileSync(log, "utf8") : ""}`,
  );
}

/** initdb/pg_ctl on PATH first, else the newest of Debian's /usr/lib/postgresql/<version>/bin. */
export function findPostgresBin(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) {
      return dir;
    }
  }
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((name) => existsSync(path.join(debian, name, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(
      "The PostgreSQL tests need a server: install PostgreSQL (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) or set TEST_DATABASE_URL to a database URL whose user may CREATE DATABASE.",
    );
  }
  return path.join(debian, newest, "bin");
}

interface RunAs {
  run: Run;
  /** The user that must own the server's directory, when it is not us. */
  owner?: { uid: number; gid: number };
}

function runAsPostgres(): RunAs {
  const exec = (file: string, args: string[]) => {
    const result = spawnSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (result.status !== 0) {
      throw new Error(
        `${path.basename(file)} failed (${result.status}): ${result.stderr || result.stdout}`,
      );
    }
  };
  if (process.getuid?.() !== 0) return { run: exec };
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }));
  let owner: { uid: number; gid: number };
  try {
    owner = { uid: id("-u"), gid: id("-g") };
  } catch {
    throw new Error(
      "Running as root, the PostgreSQL tests need a 'postgres' user to run the server as.",
    );
  }
  return { run: (file, args) => exec("runuser", ["-u", "postgres", "--", file, ...args]), owner };
}
