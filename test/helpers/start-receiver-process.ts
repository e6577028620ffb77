import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { collectOutput, stopChild } from "./child-output.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ReceiverProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything written to stdout (JSON logs) and stderr (the start-up banner) so far. */
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM, then wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `src/main.ts` as `npm start` does (or `entry`, a script that wires the receiver the same
 * way), as a real child process on a free loopback port, and resolves once it logs that it is
 * listening.
 */
export async function startReceiverProcess(
  env: Record<string, string>,
  entry = "src/main.ts",
): Promise<ReceiverProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: ROOT,
    // ENV_FILE=none: a developer's own .env in the checkout must not change what a test sees.
    env: { PATH: process.env.PATH ?? "", ENV_FILE: "none", PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { stdout, stderr } = collectOutput(child);
  const port = await new Promise<number>((resolve, reject) => {
    // Listening is logged on stdout, the set-up banner on stderr: wait for both.
    const onData = () => {
      const match = /"port":(\d+)[^\n]*"msg":"webhook-inbox listening"/.exec(stdout());
      if (match && stderr().includes("/webhooks/credo")) resolve(Number(match[1]));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`receiver exited with ${code} before listening:\n${stderr()}`)),
    );
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    stdout,
    stderr,
    stop: (signal = "SIGTERM") => stopChild(child, signal),
  };
}

/** Runs `src/main.ts` expecting it to refuse to start; resolves with its exit code and stderr. */
export async function runReceiverExpectingFailure(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ENV_FILE: "none", PORT: "0", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const { stderr } = collectOutput(child);
  const [code] = await once(child, "exit");
  return { code: code as number | null, stderr: stderr() };
}
