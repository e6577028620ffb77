import { type Request, type Response, Router } from "express";
import type { ConversationStore } from "./conversation-store.ts";

export interface IntegrationApiOptions {
  conversations: ConversationStore;
  /** When set, `Authorization` must carry it (raw, as Capturi's integration APIs take it, or as Bearer). */
  token: string | null;
}

/**
 * Capturi's Integration API, the part a Uid payload needs: `GET /integrations/conversations/{uid}`.
 * Mounted under `/capturi`, so the receiver's `CAPTURI_API_URL` is `http://localhost:4000/capturi`.
 */
export function createIntegrationApiRouter(options: IntegrationApiOptions): Router {
  const router = Router();
  router.get("/integrations/conversations/:uid", (req, res) => {
    if (req.query["api-version"] === undefined) {
      return sendProblem(
        res,
        400,
        "Bad Request",
        "The api-version query parameter is required, e.g. ?api-version=2",
      );
    }
    if (options.token !== null) {
      const header = req.get("authorization");
      if (header === undefined)
        return sendProblem(
          res,
          401,
          "Unauthorized",
          "Send the API token in the Authorization header",
        );
      if (header.replace(/^Bearer /i, "") !== options.token) {
        return sendProblem(
          res,
          403,
          "Forbidden",
          "The API token is not valid for this organization",
        );
      }
    }
    const conversation = options.conversations.get(String(req.params.uid));
    // Capturi answers 204, not 404, for a conversation it does not know.
    if (conversation === undefined) return void res.status(204).end();
    res.json(conversation);
  });
  return router;
}

/** RFC 7807 ProblemDetails, the error shape of Capturi's API. */
function sendProblem(res: Response, status: number, title: string, detail: string): void {
  const req: Request = res.req;
  res
    .status(status)
    .type("application/problem+json")
    .send(
      JSON.stringify({ type: "about:blank", title, status, detail, instance: req.originalUrl }),
    );
}
