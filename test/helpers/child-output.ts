import type { ChildProcess } from "node:child_process";
import { once } from "node:events";

/** Everything a child writes to stdout and stderr, as it arrives. */
export function collectOutput(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr };
}

/** Sends `signal` and resolves with the exit code once the child is gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM") {
  // Already gone (exited, or killed by a signal): 'exit' will not fire again.
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill(signal);
  const [code] = await once(child, "exit");
  return code as number | null;
}
