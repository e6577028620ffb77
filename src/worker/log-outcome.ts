import type { Logger } from "pino";
import type { AttemptOutcome, Claim } from "../inbox/work-queue.ts";

/** One line per attempt: what happened, and for a failure whether it runs again and when. */
export function logOutcome(
  logger: Logger,
  { delivery, attemptNumber }: Claim,
  outcome: AttemptOutcome,
): void {
  const fields = { deliveryId: delivery.id, attempt: attemptNumber, outcome: outcome.kind };
  if (outcome.kind !== "failed") {
    logger.info(fields, "processed");
  } else if (outcome.retryAt) {
    logger.warn(
      { ...fields, error: outcome.error, retryAt: outcome.retryAt },
      "handler failed; will retry",
    );
  } else {
    logger.warn(
      { ...fields, error: outcome.error },
      "handler failed; no attempts left, delivery is dead",
    );
  }
}
