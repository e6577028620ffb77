/**
 * Your code goes here: the providers you receive from, and one function per event type. Each
 * receives the parsed, typed event and a context (logger, attempt number, idempotency key, and for
 * Capturi conversations `ctx.conversation()`). Throw to fail the attempt: it is retried with
 * backoff, then marked dead. Event types without a function here are stored as `unhandled` and can
 * be replayed later.
 */
import { capturiSource } from "../sources/capturi/capturi-source.ts";
import type { CredoEvent, CredoEventType } from "../sources/credo/credo-event.ts";
import { credoSource } from "../sources/credo/credo-source.ts";
import {
  type ConversationContext,
  defineHandlers,
  type HandlerContext,
} from "./define-handlers.ts";

/** Every provider this service receives from: `/webhooks/<name>` for each. Add yours here. */
export const sources = [capturiSource, credoSource] as const;

export const handlers = defineHandlers(sources, {
  capturi: {
    ConversationProcessed: logConversation,
    ConversationSummaryUpdated: logConversation,
    LiveSummaryMessage(event, ctx) {
      ctx.log.info(
        {
          liveSummaryUid: event.uid,
          session: event.entity.puzzelSessionUid,
          text: event.entity.text,
        },
        "live summary message",
      );
    },
  },
  credo: {
    use_case_governance_status_updated: logUseCaseChange,
    use_case_risk_category_level_updated: logUseCaseChange,
    use_case_name_updated: logUseCaseChange,
    use_case_icon_updated: logUseCaseChange,
    use_case_description_updated: logUseCaseChange,
    use_case_industries_updated: logUseCaseChange,
    use_case_regions_updated: logUseCaseChange,
    use_case_ai_type_updated: logUseCaseChange,
    use_case_is_vendor_updated: logUseCaseChange,
    use_case_questionnaire_ids_updated: logUseCaseChange,
    use_case_custom_field_updated: logUseCaseChange,
    use_case_review_comment: logUseCaseChange,
    use_case_review_status_updated: logUseCaseChange,
    use_case_review_task_status_updated: logUseCaseChange,
    use_case_review_task_deleted: logUseCaseChange,
  },
});

/** Works the same whether Capturi sent the Full model or only the Uid. */
async function logConversation(
  event: { type: string; uid: string; mode: "uid" | "full" },
  ctx: ConversationContext,
): Promise<void> {
  const result = await ctx.conversation();
  if (!result.found) {
    ctx.log.warn({ uid: event.uid }, `${event.type}: Capturi no longer has this conversation`);
    return;
  }
  const { subject, state, duration, customer } = result.conversation;
  ctx.log.info(
    { uid: event.uid, subject, customer, state, durationSeconds: duration, from: result.origin },
    `${event.type}: "${subject ?? "(no subject)"}" ${state ?? ""} ${duration ?? "?"} s`,
  );
}

function logUseCaseChange(event: CredoEvent<CredoEventType>, ctx: HandlerContext): void {
  const { data } = event;
  const by = data.user.email ?? data.user.userId;
  ctx.log.info(
    { useCaseId: data.useCaseId, by, change: describeChange(event) },
    `${event.type} by ${by}`,
  );
}

/** One phrase for what changed; each event family carries different fields. */
function describeChange(event: CredoEvent<CredoEventType>): string {
  const data = event.data as Record<string, unknown>;
  if ("changedFieldName" in data)
    return `${String(data.changedFieldName)} → ${JSON.stringify(data.value)}`;
  if ("customFieldName" in data)
    return `custom field ${String(data.customFieldName)} → ${JSON.stringify(data.value)}`;
  if ("comment" in data)
    return `comment on review ${String(data.reviewId)}: ${String(data.comment)}`;
  if ("subStatus" in data)
    return `task of review ${String(data.reviewId)} → ${String(data.status)}/${String(data.subStatus)}`;
  if ("status" in data) return `review ${String(data.reviewId)} → ${String(data.status)}`;
  return `task of review ${String(data.reviewId)} deleted`;
}
