import { z } from "zod";

/**
 * Every event a Credo AI webhook subscription can carry, as the bare event name (the middle of
 * `type`, without the per-subscription prefix and suffix).
 */
export const CREDO_EVENT_TYPES = [
  // Deprecated by Credo AI; kept so that subscriptions that still send it are routed.
  "use_case_governance_status_updated",
  "use_case_risk_category_level_updated",
  "use_case_name_updated",
  "use_case_icon_updated",
  "use_case_description_updated",
  "use_case_industries_updated",
  "use_case_regions_updated",
  "use_case_ai_type_updated",
  "use_case_is_vendor_updated",
  "use_case_questionnaire_ids_updated",
  "use_case_custom_field_updated",
  "use_case_review_comment",
  "use_case_review_status_updated",
  "use_case_review_task_status_updated",
  "use_case_review_task_deleted",
] as const;

export type CredoEventType = (typeof CREDO_EVENT_TYPES)[number];

// Credo ids are 22-character short ids or uuids depending on the object, so only non-empty is
// checked: a stricter format would turn a harmless change on Credo's side into rejected events.
const credoId = z.string().min(1);

// The sender is a Python service: an absent optional often arrives as `null`, so optional fields
// accept both.
const optionalText = z.string().nullish();

/** The person who made the change. */
export const credoUserSchema = z.looseObject({
  userId: credoId,
  email: z.string(),
  givenName: optionalText,
  familyName: optionalText,
  nickname: optionalText,
  role: optionalText,
  job: optionalText,
});

/** `use_case_<field>_updated`: `value` is the field's new value, whose JSON shape differs per field. */
export const credoMetadataUpdatedSchema = z.looseObject({
  useCaseId: credoId,
  changedFieldName: z.string(),
  value: z.json(),
  user: credoUserSchema,
});

export const credoCustomFieldUpdatedSchema = z.looseObject({
  useCaseId: credoId,
  customFieldId: credoId,
  customFieldName: z.string(),
  customFieldType: z.string(),
  value: z.json(),
  user: credoUserSchema,
});

// What `user` holds in a tag is not documented: a user object is expected, a plain name tolerated.
const taggedUserSchema = z.looseObject({
  user: z.union([credoUserSchema, z.string()]).nullish(),
  user_id: credoId,
});

export const credoReviewCommentSchema = z.looseObject({
  useCaseId: credoId,
  reviewId: credoId,
  actionId: credoId,
  comment: z.string(),
  taggedUsers: z.array(taggedUserSchema),
  user: credoUserSchema,
});

export const credoReviewStatusUpdatedSchema = z.looseObject({
  useCaseId: credoId,
  reviewId: credoId,
  // Review statuses are not enumerated by Credo AI, unlike task statuses below.
  status: z.string(),
  eventType: optionalText,
  user: credoUserSchema,
});

export const credoReviewTaskDeletedSchema = z.looseObject({
  useCaseId: credoId,
  reviewId: credoId,
  assignedUserId: credoId,
  assignerId: credoId,
  user: credoUserSchema,
});

export const credoReviewTaskStatusUpdatedSchema = credoReviewTaskDeletedSchema.extend({
  status: z.enum(["todo", "in_progress", "done"]),
  subStatus: z.enum([
    "none",
    "change_request",
    "approve",
    "reject",
    "cancel",
    "ready_for_validation",
  ]),
});

/**
 * The body as Svix delivers it, before the event name is known. CloudEvents-like, no id inside.
 * Only `type` is required (routing reads it, and `subject` when present; handlers read `data`):
 * a body without `time` or `source` is still an event to process.
 */
export const credoEnvelopeSchema = z.looseObject({
  /** `<prefix>.<event>[.<suffix>]`, e.g. `CredoAI.use_case_name_updated.v1`. */
  type: z.string().min(1),
  // Python's isoformat: microseconds, and an offset that may be `Z`, `+00:00` or missing. When
  // sent it must be a time, so that handlers can rely on its format.
  time: z.iso.datetime({ offset: true, local: true }).nullish(),
  source: optionalText,
  subject: optionalText,
  data: z.unknown(),
});

/** The schema of `data` for each event. */
export const CREDO_DATA_SCHEMAS = {
  use_case_governance_status_updated: credoMetadataUpdatedSchema,
  use_case_risk_category_level_updated: credoMetadataUpdatedSchema,
  use_case_name_updated: credoMetadataUpdatedSchema,
  use_case_icon_updated: credoMetadataUpdatedSchema,
  use_case_description_updated: credoMetadataUpdatedSchema,
  use_case_industries_updated: credoMetadataUpdatedSchema,
  use_case_regions_updated: credoMetadataUpdatedSchema,
  use_case_ai_type_updated: credoMetadataUpdatedSchema,
  use_case_is_vendor_updated: credoMetadataUpdatedSchema,
  use_case_questionnaire_ids_updated: credoMetadataUpdatedSchema,
  use_case_custom_field_updated: credoCustomFieldUpdatedSchema,
  use_case_review_comment: credoReviewCommentSchema,
  use_case_review_status_updated: credoReviewStatusUpdatedSchema,
  use_case_review_task_status_updated: credoReviewTaskStatusUpdatedSchema,
  use_case_review_task_deleted: credoReviewTaskDeletedSchema,
} as const satisfies Record<CredoEventType, z.ZodType>;

export type CredoUser = z.output<typeof credoUserSchema>;

export type CredoEventData = {
  [K in CredoEventType]: z.output<(typeof CREDO_DATA_SCHEMAS)[K]>;
};

type CredoEventMap = {
  [K in CredoEventType]: {
    source: "credo";
    type: K;
    /** The `svix-id` / `webhook-id` header, or a hash of the body when neither was sent. */
    messageId: string;
    /** When Credo AI says the change happened (ISO 8601), or null when the body has no `time`. */
    time: string | null;
    /** `type` as received, prefix and suffix included. */
    rawType: string;
    subject: string | null;
    data: CredoEventData[K];
  };
};

/** A Credo AI delivery that passed its schema; narrow on `type` to get the typed `data`. */
export type CredoEvent<K extends CredoEventType = CredoEventType> = CredoEventMap[K];
