import type { ResolvedSendOptions, SendOptions, SendSource } from "./send-options.ts";

export const DEFAULT_SANDBOX_URL = "http://localhost:4000";

/**
 * `--via-sandbox`: asks the sandbox's `/trigger` for each event, printing each exchange. Resolves
 * with the status of every answer; the deliveries themselves happen later, in the sandbox.
 */
export async function triggerInSandbox(
  source: SendSource,
  events: string[],
  options: ResolvedSendOptions,
  fetch: typeof globalThis.fetch,
  out: (line: string) => void,
): Promise<number[]> {
  const sandbox = sandboxBaseUrl(options.viaSandbox);
  const statuses: number[] = [];
  for (const event of events) {
    out(`→ POST ${sandbox}/trigger  ${source} ${event}`);
    const response = await fetch(`${sandbox}/trigger`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(triggerRequest(source, event, options)),
    });
    out(`← ${response.status} ${await response.text()}`);
    statuses.push(response.status);
  }
  out(`The sandbox delivers in the background; see ${sandbox}/deliveries for every attempt.`);
  return statuses;
}

export function sandboxBaseUrl(viaSandbox: SendOptions["viaSandbox"]): string {
  return (viaSandbox === true ? DEFAULT_SANDBOX_URL : String(viaSandbox)).replace(/\/+$/, "");
}

/** The body of `POST /trigger`: only the options the sandbox understands. */
function triggerRequest(source: SendSource, event: string, options: ResolvedSendOptions) {
  return {
    source,
    event,
    count: options.count,
    ...(options.eventId ? { eventId: options.eventId } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.casing ? { casing: options.casing } : {}),
  };
}
