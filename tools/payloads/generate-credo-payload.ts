import type { CredoEventType } from "../../src/sources/credo/credo-event.ts";
import { pick, randomCredoId } from "./random-ids.ts";

export interface CredoPayloadOptions {
  /** A bare event name; an unknown one gets a generic metadata body, to try `unhandled`. */
  event: string;
  /** The subscription's `event_type_prefix`; default `CredoAI`, empty for none. */
  prefix?: string | null;
  /** The subscription's `event_type_suffix`; default `v1`, empty for none. */
  suffix?: string | null;
  now?: Date;
}

/** The body Credo AI sends through Svix: CloudEvents-like, no event id inside. */
export interface CredoPayload {
  type: string;
  time: string;
  source: "CredoAI";
  subject: string;
  data: Record<string, unknown>;
}

/** `<prefix>.<event>.<suffix>`, leaving out an empty prefix or suffix. */
export function credoEventTypeString(
  event: string,
  prefix: string | null = "CredoAI",
  suffix: string | null = "v1",
): string {
  return [prefix ?? "CredoAI", event, suffix ?? "v1"].filter((part) => part !== "").join(".");
}

/** A realistic Credo AI body for `event`, with fresh ids and `time` = now. */
export function generateCredoPayload(options: CredoPayloadOptions): CredoPayload {
  const now = options.now ?? new Date();
  const event = options.event;
  return {
    type: credoEventTypeString(event, options.prefix ?? null, options.suffix ?? null),
    // Python's isoformat with microseconds, as Credo AI sends it.
    time: now.toISOString().replace("Z", "000Z"),
    source: "CredoAI",
    // Credo AI is inconsistent here: sometimes the event name, sometimes without `use_case_`.
    subject: pick([event, event.replace(/^use_case_/, "")]),
    data: dataFor(event),
  };
}

// Modelled on test/fixtures/credo/: one insurer's AI governance team.
const USERS = [
  {
    email: "priya.raman@northwind-insurance.com",
    givenName: "Priya",
    familyName: "Raman",
    role: "admin",
    job: "Head of AI Governance",
  },
  {
    email: "marcus.lindqvist@northwind-insurance.com",
    givenName: "Marcus",
    familyName: "Lindqvist",
    role: "member",
    job: "Claims Operations Lead",
  },
  {
    email: "sofia.okafor@northwind-insurance.com",
    givenName: "Sofia",
    familyName: "Okafor",
    role: "member",
    job: "Model Risk Analyst",
  },
] as const;

function user() {
  return { userId: randomCredoId(), ...pick(USERS) };
}

/** The new value of each use case field, as the fixtures show them. */
const FIELD_VALUES: Record<string, () => unknown> = {
  governance_status: () => pick(["not_started", "in_progress", "completed"]),
  risk_category_level: () => pick(["low", "medium", "high"]),
  name: () => pick(["Claims triage assistant (EU)", "Fraud signal scorer", "Underwriting copilot"]),
  icon: () => pick(["clipboard-check", "shield", "sparkles"]),
  description: () =>
    "Classifies incoming motor and property claims by urgency and routes them to the right handler queue. A human handler always makes the final decision.",
  industries: () => ["Insurance", "Financial Services"],
  regions: () => ["European Union", "United Kingdom"],
  ai_type: () => pick(["Generative AI", "Predictive ML", "Rules-based"]),
  is_vendor: () => pick([true, false]),
  questionnaire_ids: () => [randomCredoId(), randomCredoId()],
};

function dataFor(event: string): Record<string, unknown> {
  const useCaseId = randomCredoId();
  const reviewId = randomCredoId();
  switch (event as CredoEventType) {
    case "use_case_custom_field_updated":
      return {
        useCaseId,
        customFieldId: randomCredoId(),
        customFieldName: "Data retention period",
        customFieldType: "single_select",
        value: pick(["12 months", "24 months", "36 months"]),
        user: user(),
      };
    case "use_case_review_comment": {
      const tagged = user();
      return {
        useCaseId,
        reviewId,
        actionId: randomCredoId(),
        comment: `@${tagged.givenName} ${tagged.familyName} could you attach the bias evaluation before we approve?`,
        taggedUsers: [{ user: tagged, user_id: tagged.userId }],
        user: user(),
      };
    }
    case "use_case_review_status_updated":
      return {
        useCaseId,
        reviewId,
        status: pick(["in_review", "approved", "changes_requested"]),
        eventType: "review_status_changed",
        user: user(),
      };
    case "use_case_review_task_status_updated":
      return {
        ...task(useCaseId, reviewId),
        status: pick(["todo", "in_progress", "done"]),
        subStatus: pick(["none", "change_request", "approve", "ready_for_validation"]),
      };
    case "use_case_review_task_deleted":
      return task(useCaseId, reviewId);
    default: {
      const field = /^use_case_(.+)_updated$/.exec(event)?.[1] ?? "name";
      const value = (FIELD_VALUES[field] ?? FIELD_VALUES.name)?.();
      return { useCaseId, changedFieldName: field, value, user: user() };
    }
  }
}

function task(useCaseId: string, reviewId: string) {
  return {
    useCaseId,
    reviewId,
    assignedUserId: randomCredoId(),
    assignerId: randomCredoId(),
    user: user(),
  };
}
