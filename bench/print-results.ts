import type { IngestFigures, IngestLoad } from "./measure-ingest.ts";
import type { VerificationFigures } from "./measure-verification.ts";

export interface IngestRow extends IngestFigures {
  bytes: number;
  route: string;
  /** Requests per second as a share of the bare Express route's, same size, same run. */
  ratio: number;
}

export interface BenchResults {
  measuredAt: string;
  machine: string;
  durability: string;
  load: IngestLoad;
  ingest: IngestRow[];
  verification: VerificationFigures[];
}

/** Ratio to the bare Express route each webhook route must reach, by body size (issue 10). */
const INGEST_TARGETS: ReadonlyMap<number, number> = new Map([
  [1024, 1.0],
  [100 * 1024, 0.8],
]);
const VERIFY_TARGET = 0.8;

/** The human view of `bench/results.json`. */
export function printResults(results: BenchResults): void {
  const { load } = results;
  const lines = [
    "",
    `Ingest: autocannon, ${load.connections} connections, ${load.rounds} rounds of ${load.durationSeconds} s per route taken in turns after ${load.warmUpSeconds} s warm-up, server in a child process`,
    `Durability: ${results.durability}`,
    "Every request has a fresh idempotency key (eventUid / svix-id): the insert path, not the duplicate path.",
    table(
      ["size", "route", "req/s", "p50 ms", "p99 ms", "ratio", "server CPU µs/req", "failures"],
      results.ingest.map((row) => [
        size(row.bytes),
        row.route,
        row.requestsPerSecond.toFixed(0),
        row.p50Ms.toFixed(1),
        String(row.p99Ms),
        row.ratio.toFixed(2),
        row.serverCpuMicrosPerRequest.toFixed(0),
        String(row.failures),
      ]),
    ),
    "",
    "Verification of one signed request (ops/s; ratio to bare node:crypto HMAC of the same bytes)",
    table(
      ["size", "ours", "standardwebhooks", "bare HMAC", "ours/bare", "package/bare"],
      results.verification.map((row) => [
        size(row.bytes),
        row.ours.toFixed(0),
        row.standardwebhooks.toFixed(0),
        row.bareHmac.toFixed(0),
        (row.ours / row.bareHmac).toFixed(2),
        (row.standardwebhooks / row.bareHmac).toFixed(2),
      ]),
    ),
    "",
    ...targets(results),
    `${results.machine}; ${results.measuredAt}`,
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

function targets(results: BenchResults): string[] {
  const mark = (ok: boolean) => (ok ? "met" : "NOT met");
  const ingest = [...INGEST_TARGETS].map(([bytes, target]) => {
    const rows = results.ingest.filter((row) => row.bytes === bytes && row.route.startsWith("/"));
    const figures = rows.map((row) => `${row.route} ${row.ratio.toFixed(2)}`).join(", ");
    const ok = rows.length > 0 && rows.every((row) => row.ratio >= target);
    return `Target ingest ratio ≥ ${target.toFixed(1)} at ${size(bytes)}: ${figures} (${mark(ok)})`;
  });
  const ceiling = results.ingest
    .filter((row) => row.route.startsWith("raw"))
    .map((row) => `${row.ratio.toFixed(2)} at ${size(row.bytes)}`);
  const verify = [results.verification[0], results.verification.at(-1)].map((row) => {
    const ratio = row ? row.ours / row.bareHmac : 0;
    return `Target verification ≥ ${VERIFY_TARGET} of bare HMAC at ${size(row?.bytes ?? 0)}: ${ratio.toFixed(2)} (${mark(ratio >= VERIFY_TARGET)})`;
  });
  return [
    ...ingest,
    `Ceiling of this machine, raw node:http over bare Express: ${ceiling.join(", ")}`,
    ...verify,
  ];
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
