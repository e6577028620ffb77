import type { DestinationStream, Logger } from "pino";
import { pino } from "pino";

export interface LoggerOptions {
  level: string;
  /** Where JSON lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs (one object per line), pretty-printed by `npm run dev` through pino-pretty.
 * Nothing here logs headers or bodies; the redact paths are a second line of defence.
 */
export function createLogger({ level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service: "webhook-inbox" },
      redact: {
        paths: ["headers.authorization", "headers.cookie", "*.headers.authorization", "secret"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
