import { once } from "node:events";
import { spawnScript } from "./run-script.ts";

export interface SandboxProcess {
  baseUrl: string;
  stdout: () => string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `npm run sandbox` as a real process and resolves once it listens. */
export async function startSandboxProcess(args: string[]): Promise<SandboxProcess> {
  const child = spawnScript("sandbox", ["--host", "127.0.0.1", ...args], {});
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", () => {
      const match = /\{"msg":"sandbox listening","port":(\d+)\}/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited with ${code}:\n${stderr}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
