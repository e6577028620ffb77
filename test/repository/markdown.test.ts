import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./import-graph.ts";

const SKIPPED = new Set(["node_modules", ".git", "data", "artifacts", "dist"]);

/** Every Markdown file a user reads: the README, docs/, bench/ and any other. */
function markdownFiles(dir = ""): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(relative);
    return entry.name.endsWith(".md") ? [relative] : [];
  });
}

const files = markdownFiles();
const texts = files.map((file) => ({ file, text: readFileSync(path.join(ROOT, file), "utf8") }));
const scripts = Object.keys(
  (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: object })
    .scripts,
);

/** What each file names that must exist, as `file: thing`. */
function missing(find: (text: string, file: string) => string[]): string[] {
  return texts.flatMap(({ file, text }) => find(text, file).map((name) => `${file}: ${name}`));
}

describe("the Markdown files", () => {
  it("exist: the README links to the docs", () => {
    expect(files).toContain("README.md");
    expect(files.filter((file) => file.startsWith("docs/")).length).toBeGreaterThan(0);
  });

  it("name only npm scripts that package.json has", () => {
    const unknown = missing((text) =>
      [...text.matchAll(/npm run ([\w:.-]+)/g)]
        .map((match) => match[1] ?? "")
        .filter((name) => !scripts.includes(name)),
    );
    expect(unknown).toEqual([]);
  });

  it("link only to files that exist", () => {
    const broken = missing((text, file) =>
      [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
        .map((match) => match[1] ?? "")
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => !existsSync(path.join(ROOT, path.dirname(file), target))),
    );
    expect(broken).toEqual([]);
  });

  it("name only repository paths that exist (outputs in .gitignore aside)", () => {
    const ignored = readFileSync(path.join(ROOT, ".gitignore"), "utf8").split("\n");
    const PATH = /`((?:src|tools|test|docs|bench|openapi)\/[\w./-]*[\w/])`/g;
    const stale = missing((text) =>
      [...text.matchAll(PATH)]
        .map((match) => match[1] ?? "")
        .filter((name) => !ignored.includes(name) && !existsSync(path.join(ROOT, name))),
    );
    expect(stale).toEqual([]);
  });
});
