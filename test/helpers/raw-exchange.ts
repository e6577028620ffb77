import { connect } from "node:net";

export interface RawExchange {
  /** Everything the server sent before it closed the connection. */
  received: string;
  /** How the connection ended: the server closed it, or it was reset. */
  ended: "closed" | "reset";
}

/**
 * Writes `parts` to a raw TCP connection (exactly these bytes, no HTTP client to tidy them up)
 * and resolves when the server closes it. Never ends the connection itself, so a server that does
 * not cut a stalled client off leaves the test hanging until its timeout: a failure.
 */
export function rawExchange(
  port: number,
  parts: readonly (string | Buffer)[],
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (text: string) => {
      received += text;
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNRESET" || error.code === "EPIPE")
        resolve({ received, ended: "reset" });
      else reject(error);
    });
    socket.on("close", () => resolve({ received, ended: "closed" }));
    socket.on("connect", () => {
      for (const part of parts) socket.write(part);
    });
  });
}
