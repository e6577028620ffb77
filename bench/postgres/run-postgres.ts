/**
 * The PostgreSQL section of `npm run bench` (skip it there with `-- --no-postgres`), also
 * runnable alone: `npx tsx bench/postgres/run-postgres.ts`. Prints it and writes
 * bench/results-postgres.json.
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { IngestLoad } from "../measure-ingest.ts";
import { measurePostgres, printPostgresSection } from "./measure-postgres.ts";

export async function runPostgresSection(load: IngestLoad): Promise<void> {
  const section = await measurePostgres(load);
  printPostgresSection(section);
  writeFileSync(
    new URL("../results-postgres.json", import.meta.url),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), load, ...section }, null, 2)}\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await runPostgresSection({ connections: 32, warmUpSeconds: 1, durationSeconds: 2, rounds: 3 });
}
