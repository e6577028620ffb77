import { readdir } from "node:fs/promises";

/** The `.ts` files directly in `dir`, sorted; none if `dir` does not exist yet. */
export async function listTypeScriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  return entries.filter((name) => name.endsWith(".ts")).sort();
}
