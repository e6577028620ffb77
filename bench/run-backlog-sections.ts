import { writeFileSync } from "node:fs";
import { measureBacklog } from "./measure-backlog.ts";
import { measureFetchDrain } from "./measure-fetch-drain.ts";
import { measureIndexCost } from "./measure-index-cost.ts";
import { backlogLines, indexLines, soakLines } from "./print-backlog.ts";
import { runSoak } from "./soak.ts";

const log = (line: string) => process.stderr.write(`${line}\n`);
const print = (lines: string[]) => process.stdout.write(`${lines.join("\n")}\n`);

/** Writes `bench/<name>.json` beside results.json (both ignored by git). */
function save(name: string, value: unknown): void {
  writeFileSync(new URL(`./${name}.json`, import.meta.url), `${JSON.stringify(value, null, 2)}\n`);
}

/** The backlog section of the default run: a 1,000,000-row inbox, then the fetching handlers. */
export async function runBacklogSection(): Promise<void> {
  log("Backlog section");
  const backlog = await measureBacklog(log);
  const fetchDrain = await measureFetchDrain(log);
  save("backlog-results", { measuredAt: new Date().toISOString(), backlog, fetchDrain });
  print(backlogLines(backlog, fetchDrain));
}

/** `--indexes`: the cost of each index of `deliveries`. */
export async function runIndexSection(): Promise<void> {
  log("Index cost section");
  const costs = await measureIndexCost(log);
  save("index-results", { measuredAt: new Date().toISOString(), costs });
  print(indexLines(costs));
}

/** `--soak`: five minutes of steady ingest. */
export async function runSoakSection(): Promise<void> {
  log("Soak");
  const soak = await runSoak(log);
  save("soak-results", { measuredAt: new Date().toISOString(), soak });
  print(soakLines(soak));
}
