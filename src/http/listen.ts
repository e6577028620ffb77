import type { Server } from "node:http";

/**
 * Starts `server` listening; rejects with the server's error (EADDRINUSE, EACCES …) instead of
 * letting it escape as an unhandled `'error'` event, so that the caller can say what to do.
 */
export function listen(server: Server, options: { port: number; host?: string | undefined }) {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
