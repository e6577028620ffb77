import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/events.ts` as `npm run events -- <args>` does, as a child process, to completion. */
export async function runEventsScript(
  args: readonly string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "src/events.ts"), ...args],
    {
      cwd,
      // ENV_FILE=none: a developer's own .env in the checkout must not change what a test sees.
      env: { PATH: process.env.PATH ?? "", ENV_FILE: "none", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, "exit");
  return { code: code as number | null, stdout, stderr };
}
