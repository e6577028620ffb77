import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every `.ts` file below `dir` (relative to the repository root), skipping generated code. */
export function typeScriptFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.posix.join(dir, file.split(path.sep).join("/")));
}

// Relative specifiers name their file (`./x.ts`), as NodeNext requires; template text never does.
const SPECIFIER = String.raw`["'](\.{1,2}\/[^"'$\s]+\.(?:ts|json))["']`;
const IMPORT = new RegExp(
  String.raw`(?:^|\s)(?:import|export)\s[^;]*?from\s*${SPECIFIER}|import\(\s*${SPECIFIER}`,
  "g",
);

/** Relative imports of each file, type-only ones included, as repository-relative paths. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    const targets = [...source.matchAll(IMPORT)].map((match) =>
      path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1] ?? match[2] ?? "")),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** Each cycle once, as the files along it (Tarjan's strongly connected components). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  function visit(node: string): void {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfLoop) cycles.push(component.reverse());
  }

  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
