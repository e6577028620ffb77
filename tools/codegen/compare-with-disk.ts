import { readFile } from "node:fs/promises";
import path from "node:path";
import { listTypeScriptFiles } from "./list-type-script-files.ts";

export type Difference = { file: string; problem: "stale" | "missing" | "orphan" };

/** Compares generated contents with the files in `outDir`. */
export async function compareWithDisk(
  generated: Map<string, string>,
  outDir: string,
): Promise<Difference[]> {
  const onDisk = await listTypeScriptFiles(outDir);
  const differences: Difference[] = [];
  for (const [file, contents] of generated) {
    if (!onDisk.includes(file)) differences.push({ file, problem: "missing" });
    else if ((await readFile(path.join(outDir, file), "utf8")) !== contents) {
      differences.push({ file, problem: "stale" });
    }
  }
  for (const file of onDisk) {
    if (!generated.has(file)) differences.push({ file, problem: "orphan" });
  }
  return differences;
}
