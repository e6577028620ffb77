import { request as httpRequest } from "node:http";

export interface StreamedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Body bytes the client had written when the response's headers arrived. */
  bytesSentBeforeResponse: number;
  /** An error the client saw after the response had arrived (a reset while still sending), if any. */
  lateError: string | undefined;
}

export interface StreamOptions {
  url: string;
  headers: Record<string, string>;
  totalBytes: number;
  chunkBytes?: number;
  /** Keep sending after the response started, as a careless client does (default false). */
  ignoreEarlyResponse?: boolean;
}

/**
 * Sends a chunked body (no Content-Length) of up to `totalBytes` with a raw node:http client,
 * respecting backpressure, and by default stops sending as soon as the response starts: what a
 * careful sender does when the server refuses the body early.
 */
export function streamRequest(options: StreamOptions): Promise<StreamedResponse> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, "a");
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    let bytesSentBeforeResponse = 0;
    let lateError: string | undefined;
    const req = httpRequest(options.url, { method: "POST", headers: options.headers }, (res) => {
      answered = true;
      bytesSentBeforeResponse = sent;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        body += text;
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          bytesSentBeforeResponse,
          lateError,
        }),
      );
      res.on("error", reject);
    });
    req.on("error", (error) => {
      if (answered) lateError = (error as NodeJS.ErrnoException).code ?? error.message;
      else reject(error);
    });
    const pump = () => {
      const stopped = () => answered && !options.ignoreEarlyResponse;
      while (!stopped() && sent < options.totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!stopped()) req.end();
    };
    pump();
  });
}
