import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake API saw it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/audio/integrations/conversations/<uid>`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

/** An HTTP answer of the fake. */
export interface HttpAnswer {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Wait this long before sending the status line. */
  delayMs?: number;
}

/** How the fake answers one request; `destroy` closes the connection without an answer. */
export type FakeAnswer = HttpAnswer | { destroy: true };

export interface FakeCapturiApi {
  /** Where the client points, with a path prefix like the real `https://api.capturi.ai/audio`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Serves a stored conversation with 200; unknown uids get 204, as Capturi answers. */
  addConversation(uid: string, conversation: unknown): void;
  /** Answers for one uid, one per request in order; the last one repeats. */
  script(uid: string, ...answers: FakeAnswer[]): void;
  close(): Promise<void>;
}

const PREFIX = "/audio";
const CONVERSATION_PATH = /^\/audio\/integrations\/conversations\/([^/]+)$/;

/**
 * A real HTTP server on a free loopback port that stands in for Capturi's Integration API: the
 * client under test talks HTTP to it exactly as it would to Capturi, and each request is recorded.
 */
export async function startFakeCapturiApi(): Promise<FakeCapturiApi> {
  const requests: RecordedRequest[] = [];
  const conversations = new Map<string, unknown>();
  const scripts = new Map<string, FakeAnswer[]>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
    });
    const uid = CONVERSATION_PATH.exec(url.pathname)?.[1];
    if (uid === undefined) return send(res, { status: 404, body: { title: "Not Found" } });
    const script = scripts.get(uid);
    const scripted = script && (script.length > 1 ? script.shift() : script[0]);
    if (scripted && "destroy" in scripted) return req.socket.destroy();
    const answer = scripted ?? defaultAnswer(uid);
    if (!answer.delayMs) return send(res, answer);
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(res, answer);
    }, answer.delayMs);
    timers.add(timer);
  });

  function defaultAnswer(uid: string): HttpAnswer {
    const conversation = conversations.get(uid);
    return conversation === undefined ? { status: 204 } : { status: 200, body: conversation };
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${PREFIX}`,
    requests,
    addConversation: (uid, conversation) => conversations.set(uid, conversation),
    script: (uid, ...answers) => scripts.set(uid, answers),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

function send(res: ServerResponse, answer: HttpAnswer) {
  if (res.destroyed) return;
  const { status, headers = {}, body } = answer;
  if (body === undefined) return res.writeHead(status, headers).end();
  const isText = typeof body === "string";
  const contentType = isText
    ? "text/plain"
    : status >= 400
      ? "application/problem+json"
      : "application/json";
  res.writeHead(status, { "content-type": contentType, ...headers });
  res.end(isText ? body : JSON.stringify(body));
}
