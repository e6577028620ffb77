import autocannon from "autocannon";

export interface IngestScenario {
  name: string;
  url: string;
  method?: "POST";
  /** Builds one request's headers and body; called for every request autocannon sends. */
  next: () => { headers: Record<string, string>; body: string };
}

export interface IngestFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time of the server process (every thread, user + system) per answered request. Unlike
   * req/s it hardly moves when other work shares the machine, so it shows where the cost is.
   */
  serverCpuMicrosPerRequest: number;
  /** Responses outside 2xx plus socket errors and timeouts: should be 0. */
  failures: number;
}

export interface IngestLoad {
  connections: number;
  warmUpSeconds: number;
  /** Each route is measured this long in every round. */
  durationSeconds: number;
  /**
   * Rounds of baseline, capturi, credo in turn: a burst of load from elsewhere on a shared machine
   * then hits every route of the round instead of only one, so the ratios stay meaningful.
   */
  rounds: number;
}

/** The server's CPU time so far, in microseconds. */
export type ReadServerCpu = () => Promise<number>;

/** Discarded load: JIT, connection set-up and SQLite's page cache settle before measuring. */
export async function warmUp(scenario: IngestScenario, load: IngestLoad): Promise<void> {
  await run(scenario, load.connections, load.warmUpSeconds);
}

/** One measured round of one route. */
export async function measureIngestRound(
  scenario: IngestScenario,
  load: IngestLoad,
  readServerCpu: ReadServerCpu,
): Promise<IngestFigures> {
  const cpuBefore = await readServerCpu();
  const result = await run(scenario, load.connections, load.durationSeconds);
  const cpuMicros = (await readServerCpu()) - cpuBefore;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    serverCpuMicrosPerRequest: cpuMicros / Math.max(1, result.requests.total),
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Rounds of one route as one row: mean throughput, p50 and CPU; the worst p99; all failures. */
export function combineRounds(rounds: IngestFigures[]): IngestFigures {
  const mean = (pick: (figures: IngestFigures) => number) =>
    rounds.reduce((sum, figures) => sum + pick(figures), 0) / rounds.length;
  return {
    requestsPerSecond: mean((figures) => figures.requestsPerSecond),
    p50Ms: mean((figures) => figures.p50Ms),
    p99Ms: Math.max(...rounds.map((figures) => figures.p99Ms)),
    serverCpuMicrosPerRequest: mean((figures) => figures.serverCpuMicrosPerRequest),
    failures: rounds.reduce((sum, figures) => sum + figures.failures, 0),
  };
}

function run(scenario: IngestScenario, connections: number, seconds: number) {
  return autocannon({
    url: scenario.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: scenario.method ?? "POST",
        setupRequest: (request) => ({ ...request, ...scenario.next() }),
      },
    ],
  });
}
