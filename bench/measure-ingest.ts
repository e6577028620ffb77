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
  /** Responses outside 2xx plus socket errors and timeouts: should be 0. */
  failures: number;
}

export interface IngestLoad {
  connections: number;
  warmUpSeconds: number;
  durationSeconds: number;
}

/** Loads one endpoint with autocannon: a short warm-up (discarded), then the measured run. */
export async function measureIngest(
  scenario: IngestScenario,
  load: IngestLoad,
): Promise<IngestFigures> {
  await run(scenario, load.connections, load.warmUpSeconds);
  const result = await run(scenario, load.connections, load.durationSeconds);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
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
