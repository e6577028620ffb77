import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findCycles, importGraph, typeScriptFiles } from "./import-graph.ts";

const FOLDERS = ["src", "tools"].filter((dir) => existsSync(dir));
const graph = importGraph(FOLDERS.flatMap(typeScriptFiles));

describe("the layout", () => {
  it("has no import cycle in src/ or tools/, type-only imports included", () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it("finds a cycle when there is one (the check itself can fail)", () => {
    const cyclic = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(findCycles(cyclic)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("keeps the product independent of the developer tools: src/ never imports tools/", () => {
    const crossing = [...graph].flatMap(([file, targets]) =>
      file.startsWith("src/") ? targets.filter((target) => target.startsWith("tools/")) : [],
    );
    expect(crossing).toEqual([]);
  });

  it("keeps every import resolvable", () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !existsSync(target)).map((target) => `${file} → ${target}`),
    );
    expect(missing).toEqual([]);
  });
});
