import { request } from "node:http";

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** One request with node:http, any method and any bytes; resolves with the status and body. */
export function sendRaw(port: number, raw: RawRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: raw.method,
        path: raw.path,
        headers: raw.headers,
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (text: string) => {
          body += text;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(raw.body);
  });
}
