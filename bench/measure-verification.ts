import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { createStandardWebhookVerifier } from "../src/authenticate/verify-standard-webhook.ts";
import { BENCH_CREDO_SECRET } from "./bench-secrets.ts";
import { credoBody, signFresh } from "./payloads.ts";

export interface VerificationFigures {
  bytes: number;
  /** Operations per second of each way to check the same signed request. */
  ours: number;
  standardwebhooks: number;
  bareHmac: number;
}

/**
 * Verifies one signed body in a timed loop three ways: our verifier, the `standardwebhooks`
 * package's `Webhook#verify` (pure-JS SHA-256), and a bare node:crypto HMAC of the same bytes
 * (the floor: no header parsing, no comparison), in rounds taken in turns; the median of each.
 */
export function measureVerification(bytes: number, secondsEach: number): VerificationFigures {
  const body = credoBody(bytes);
  const rawBody = Buffer.from(body);
  const headers = signFresh(BENCH_CREDO_SECRET, body);
  const key = Buffer.from(BENCH_CREDO_SECRET.slice("whsec_".length), "base64");
  const verify = createStandardWebhookVerifier({
    secrets: [BENCH_CREDO_SECRET],
    toleranceSeconds: 300,
  });
  const webhook = new Webhook(BENCH_CREDO_SECRET);
  const unbranded = {
    "webhook-id": headers["svix-id"] ?? "",
    "webhook-timestamp": headers["svix-timestamp"] ?? "",
    "webhook-signature": headers["svix-signature"] ?? "",
  };
  const prefix = `${unbranded["webhook-id"]}.${unbranded["webhook-timestamp"]}.`;

  const ours = () => {
    if (!verify({ method: "POST", headers, rawBody }, new Date()).ok)
      throw new Error("ours failed");
  };
  // jsonParse: false, so that the package is timed on verification, not on JSON.parse.
  const pkg = () => webhook.verify(rawBody, unbranded, { jsonParse: false });
  const bare = () => createHmac("sha256", key).update(prefix).update(rawBody).digest();

  // In turns, so that a change in the machine's load between them does not bias the ratios.
  const rounds: number[][] = [[], [], []];
  for (let round = 0; round < ROUNDS; round++) {
    [ours, pkg, bare].forEach((fn, index) => {
      rounds[index]?.push(opsPerSecond(fn, secondsEach / ROUNDS));
    });
  }
  const [oursOps, pkgOps, bareOps] = rounds.map(median);
  return {
    bytes,
    ours: oursOps ?? 0,
    standardwebhooks: pkgOps ?? 0,
    bareHmac: bareOps ?? 0,
  };
}

const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Runs `fn` for a quarter of the budget to warm up (JIT, caches), then counts calls for the rest. */
function opsPerSecond(fn: () => unknown, seconds: number): number {
  const loop = (budgetMs: number) => {
    const start = performance.now();
    let calls = 0;
    let elapsed = 0;
    while (elapsed < budgetMs || calls < 3) {
      fn();
      calls += 1;
      elapsed = performance.now() - start;
    }
    return (calls * 1000) / elapsed;
  };
  loop(seconds * 250);
  return loop(seconds * 750);
}
