import { loadDefaultDevSecrets } from "../../src/config/dev-secrets.ts";
import { capturiSource } from "../../src/sources/capturi/capturi-source.ts";
import { credoSource } from "../../src/sources/credo/credo-source.ts";
import {
  buildCapturiDelivery,
  buildCredoDelivery,
  type TestDelivery,
} from "./build-test-delivery.ts";
import type { ResolvedSendOptions, SendSource } from "./send-options.ts";

/** What the receiver checks: Credo AI's signing secret, or Capturi's header token (null: none). */
interface Credentials {
  secret: string;
  token: string | null;
}

/**
 * Sends `options.count` deliveries of each event straight to the receiver, printing each exchange.
 * Resolves with the status of every answer, in order.
 */
export async function sendDirectly(
  source: SendSource,
  events: string[],
  options: ResolvedSendOptions,
  fetch: typeof globalThis.fetch,
  out: (line: string) => void,
): Promise<number[]> {
  const credentials = resolveCredentials(source, options);
  const statuses: number[] = [];
  for (const event of events) {
    for (let i = 0; i < options.count; i++) {
      const delivery = buildDelivery(source, event, options, credentials);
      out(`→ ${delivery.method} ${delivery.url}  ${source} ${event}  ${delivery.key}`);
      const response = await fetch(delivery.url, {
        method: delivery.method,
        headers: delivery.headers,
        body: delivery.body,
      });
      out(`← ${response.status} ${await response.text()}`);
      statuses.push(response.status);
    }
  }
  return statuses;
}

/** Reads (or creates) the receiver's development secrets only when an option does not give them. */
function resolveCredentials(source: SendSource, options: ResolvedSendOptions): Credentials {
  const secrets = () => loadDefaultDevSecrets(options.dataDir, [capturiSource, credoSource]);
  const secret = source === "credo" ? (options.secret ?? secrets().credoWebhookSecret ?? "") : "";
  const token =
    source === "capturi" && options.token !== false
      ? (options.token ?? secrets().capturiToken ?? null)
      : null;
  return { secret, token };
}

function buildDelivery(
  source: SendSource,
  event: string,
  options: ResolvedSendOptions,
  { secret, token }: Credentials,
): TestDelivery {
  if (source === "credo") {
    return buildCredoDelivery({
      target: options.target,
      event,
      secret,
      prefix: options.prefix ?? null,
      suffix: options.suffix ?? null,
      ...(options.eventId ? { messageId: options.eventId } : {}),
      badSignature: Boolean(options.badSignature),
      staleTimestamp: Boolean(options.staleTimestamp),
    });
  }
  return buildCapturiDelivery({
    target: options.target,
    event,
    token,
    tokenHeader: options.tokenHeader,
    method: options.method,
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.casing ? { casing: options.casing } : {}),
    ...(options.eventId ? { eventUid: options.eventId } : {}),
  });
}
