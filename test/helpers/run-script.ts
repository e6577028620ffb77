import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { collectOutput } from "./child-output.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the tool `tools/<name>.ts` as `npm run <name>` does, to completion. */
export async function runScript(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ScriptResult> {
  const child = spawnScript(name, args, env);
  const output = collectOutput(child);
  const [code] = await once(child, "exit");
  return { code: code as number | null, stdout: output.stdout(), stderr: output.stderr() };
}

export function spawnScript(
  name: string,
  args: string[],
  env: Record<string, string>,
): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", `tools/${name}.ts`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
