import type { Response } from "express";

/** The project's error shape: a stable `code` and a `message` that says what to fix. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ code, message });
}
