import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";

export interface BacklogServer {
  baseUrl: string;
  /** The server's resident memory and CPU time so far. */
  stats(): Promise<{ rssBytes: number; cpuMicros: number }>;
  /** SIGTERM, and how long the graceful stop took. */
  stop(): Promise<{ exitCode: number | null; stopMs: number }>;
}

/** `bench/backlog-server.ts` in a child process over `database`, once it listens. */
export async function startBacklogServer(
  database: string,
  env: Record<string, string> = {},
): Promise<BacklogServer> {
  const child: ChildProcess = fork(new URL("./backlog-server.ts", import.meta.url), {
    execArgv: ["--import", "tsx"],
    env: { PATH: process.env.PATH ?? "", BENCH_DATABASE: database, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [ready] = (await once(child, "message")) as [{ port: number }];
  return {
    baseUrl: `http://127.0.0.1:${ready.port}`,
    async stats() {
      child.send("stats");
      const [reply] = (await once(child, "message")) as [{ rssBytes: number; cpuMicros: number }];
      return reply;
    },
    async stop() {
      const started = performance.now();
      child.kill("SIGTERM");
      const [exitCode] = (await once(child, "exit")) as [number | null];
      return { exitCode, stopMs: performance.now() - started };
    },
  };
}
