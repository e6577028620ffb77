import { collectOutput, stopChild } from "./child-output.ts";
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
  const { stdout, stderr } = collectOutput(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", () => {
      const match = /\{"msg":"sandbox listening","port":(\d+)\}/.exec(stdout());
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited with ${code}:\n${stderr()}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stdout,
    stderr,
    async stop() {
      await stopChild(child);
    },
  };
}
