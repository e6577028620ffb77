import type { IncomingMessage } from "node:http";
import { HttpError } from "../http/http-error.ts";

/**
 * Reads the body as the exact bytes sent (signatures cover them), refusing it as soon as it passes
 * `limitBytes`: from Content-Length before reading anything, or while streaming, never after
 * buffering all of it.
 */
export function readRawBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  // A function, not a value: building an Error captures a stack, which is not free on every request.
  const tooLarge = () =>
    new HttpError(
      413,
      "payload_too_large",
      `The body is larger than ${limitBytes} bytes. Raise BODY_LIMIT_BYTES if this sender's payloads are legitimately this large.`,
      { connection: "close" },
    );
  if (Number(request.headers["content-length"]) > limitBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    const onData = (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes > limitBytes) {
        cleanUp();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(Buffer.concat(chunks, receivedBytes));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(new HttpError(400, "body_unreadable", `The body could not be read: ${error.message}`));
    };
    const cleanUp = () => {
      request.off("data", onData).off("end", onEnd).off("error", onError);
    };
    request.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
