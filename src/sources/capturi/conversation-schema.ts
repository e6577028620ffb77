import { z } from "zod";
import { caseInsensitiveObject } from "./case-insensitive-object.ts";

/*
 * Capturi's `IntegrationConversationView` as described in /work/shared/PROVIDERS.md: fields the API
 * marks non-nullable may be absent but never null (`.optional()`); every other field is
 * `.nullish()`. Every level is a loose, case-insensitive object, because the model gained fields
 * between API versions and older deliveries are PascalCase.
 */

export const CONVERSATION_STATES = [
  "Created",
  "Processing",
  "Success",
  "NoRecognizedWords",
  "NeedsSpeakerModel",
  "Error",
] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];
export const conversationStateSchema = z.enum(CONVERSATION_STATES);

export const SENTIMENT_LEVELS = ["Low", "Medium", "High"] as const;
export type SentimentLevel = (typeof SENTIMENT_LEVELS)[number];
export const sentimentLevelSchema = z.enum(SENTIMENT_LEVELS);

export const IGNORED_PHRASE_REASONS = ["Context", "FalseRecognition"] as const;
export type IgnoredPhraseReason = (typeof IGNORED_PHRASE_REASONS)[number];
export const ignoredPhraseReasonSchema = z.enum(IGNORED_PHRASE_REASONS);

/**
 * A date-time kept as the string that was sent. Lenient on purpose: C# writes 7 fractional digits
 * and an offset (`2025-03-14T09:41:27.1234567+01:00`), and a `DateTime` without a kind has no offset
 * at all; `z.iso.datetime()` accepts only one of those two forms.
 */
export const dateTimeString = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { error: "Expected a date-time" });

const int = z.number().int();

export const speakerSchema = caseInsensitiveObject({
  speakerId: int.optional(),
  speakTime: z.number().optional(),
  questionCount: int.optional(),
});
export type Speaker = z.output<typeof speakerSchema>;

/** Seconds from the start of the conversation. */
export const timeRangeSchema = caseInsensitiveObject({
  from: z.number().optional(),
  to: z.number().optional(),
});
export type TimeRange = z.output<typeof timeRangeSchema>;

export const questionSchema = caseInsensitiveObject({
  text: z.string().nullish(),
  firstWordIndex: int.optional(),
  lastWordIndex: int.optional(),
  from: z.number().optional(),
  to: z.number().optional(),
});
export type Question = z.output<typeof questionSchema>;

export const speakerStatisticsSchema = caseInsensitiveObject({
  speaker: speakerSchema.nullish(),
  when: z.array(timeRangeSchema).nullish(),
  questions: z.array(questionSchema).nullish(),
});
export type SpeakerStatistics = z.output<typeof speakerStatisticsSchema>;

export const statisticsSchema = caseInsensitiveObject({
  salesPerson: speakerStatisticsSchema.nullish(),
  otherPerson: speakerStatisticsSchema.nullish(),
});
export type Statistics = z.output<typeof statisticsSchema>;

export const trackerTimelineEntrySchema = caseInsensitiveObject({
  when: z.number().optional(),
  speakerUserUid: z.guid().nullish(),
  speakerId: int.optional(),
});
export type TrackerTimelineEntry = z.output<typeof trackerTimelineEntrySchema>;

export const trackerWordSchema = caseInsensitiveObject({
  word: z.string().nullish(),
  hits: int.optional(),
  timeline: z.array(trackerTimelineEntrySchema).nullish(),
});
export type TrackerWord = z.output<typeof trackerWordSchema>;

export const trackerHitSchema = caseInsensitiveObject({
  uid: z.guid().optional(),
  words: z.array(trackerWordSchema).nullish(),
});
export type TrackerHit = z.output<typeof trackerHitSchema>;

export const longestMonologueSchema = caseInsensitiveObject({
  duration: z.number().optional(),
  from: z.number().optional(),
  to: z.number().optional(),
});
export type LongestMonologue = z.output<typeof longestMonologueSchema>;

export const speakerInsightsSchema = caseInsensitiveObject({
  wordsPerMinute: z.number().optional(),
  longestMonologue: longestMonologueSchema.nullish(),
});
export type SpeakerInsights = z.output<typeof speakerInsightsSchema>;

export const insightsSchema = caseInsensitiveObject({
  salesPerson: speakerInsightsSchema.nullish(),
  otherPerson: speakerInsightsSchema.nullish(),
});
export type Insights = z.output<typeof insightsSchema>;

export const aiInsightsSchema = caseInsensitiveObject({
  keyTopic: z.string().nullish(),
  keySubTopic: z.string().nullish(),
  rootCause: z.string().nullish(),
  customSummary: z.string().nullish(),
});
export type AiInsights = z.output<typeof aiInsightsSchema>;

export const wordScoreSchema = caseInsensitiveObject({
  user: sentimentLevelSchema.nullish(),
  other: sentimentLevelSchema.nullish(),
  combined: sentimentLevelSchema.nullish(),
});
export type WordScore = z.output<typeof wordScoreSchema>;

export const sentimentSchema = caseInsensitiveObject({ wordScore: wordScoreSchema.nullish() });
export type Sentiment = z.output<typeof sentimentSchema>;

export const wordScoreRawSchema = caseInsensitiveObject({
  user: z.number().nullish(),
  other: z.number().nullish(),
  combined: z.number().nullish(),
});
export type WordScoreRaw = z.output<typeof wordScoreRawSchema>;

export const sentimentRawSchema = caseInsensitiveObject({
  wordScore: wordScoreRawSchema.nullish(),
});
export type SentimentRaw = z.output<typeof sentimentRawSchema>;

export const metadataSchema = caseInsensitiveObject({
  customProp1: z.string().nullish(),
  customProp2: z.string().nullish(),
  customProp3: z.string().nullish(),
  customProp4: z.string().nullish(),
  customProp5: z.string().nullish(),
  customProp6: z.string().nullish(),
  customProp7: z.string().nullish(),
  customProp8: z.string().nullish(),
  customProp9: z.string().nullish(),
  customProp10: z.string().nullish(),
  customNumberProp1: z.number().nullish(),
  customNumberProp2: z.number().nullish(),
  customNumberProp3: z.number().nullish(),
  customNumberProp4: z.number().nullish(),
  customNumberProp5: z.number().nullish(),
  customNumberProp6: z.number().nullish(),
  customNumberProp7: z.number().nullish(),
  customNumberProp8: z.number().nullish(),
  customNumberProp9: z.number().nullish(),
  customNumberProp10: z.number().nullish(),
});
export type Metadata = z.output<typeof metadataSchema>;

export const detailsSchema = caseInsensitiveObject({
  previousConversationDistance: z.number().nullish(),
  nextConversationDistance: z.number().nullish(),
  speakerCount: int.nullish(),
  qaIsReviewed: z.boolean().optional(),
});
export type Details = z.output<typeof detailsSchema>;

export const metricsSchema = caseInsensitiveObject({
  created: dateTimeString.nullish(),
  dataAdded: dateTimeString.nullish(),
  metadataAdded: dateTimeString.nullish(),
  audioAdded: dateTimeString.nullish(),
  processingDone: dateTimeString.nullish(),
});
export type Metrics = z.output<typeof metricsSchema>;

export const ignoredPhraseSchema = caseInsensitiveObject({
  phrase: z.string().nullish(),
  reason: ignoredPhraseReasonSchema.optional(),
  timeOffset: int.optional(),
  comment: z.string().nullish(),
  trackerUid: z.guid().nullish(),
});
export type IgnoredPhrase = z.output<typeof ignoredPhraseSchema>;

export const scoreParameterSchema = caseInsensitiveObject({
  uid: z.guid().optional(),
  score: int.optional(),
});
export type ScoreParameter = z.output<typeof scoreParameterSchema>;

export const scoreSchema = caseInsensitiveObject({
  uid: z.guid().optional(),
  score: int.optional(),
  parameters: z.array(scoreParameterSchema).nullish(),
});
export type Score = z.output<typeof scoreSchema>;

export const integrationConversationViewSchema = caseInsensitiveObject({
  organizationId: z.guid().optional(),
  teamUid: z.guid().nullish(),
  userUid: z.guid().optional(),
  uid: z.guid().optional(),
  state: conversationStateSchema.optional(),
  externalIdentity: z.string().nullish(),
  subject: z.string().nullish(),
  customer: z.string().nullish(),
  status: z.string().nullish(),
  summary: z.string().nullish(),
  source: z.string().nullish(),
  dateTime: dateTimeString.optional(),
  /** Orders versions of one conversation: a snapshot is never replaced by an older one. */
  lastChanged: dateTimeString.optional(),
  /** Seconds. */
  duration: z.number().optional(),
  labels: z.array(z.string()).nullish(),
  deleted: z.boolean().optional(),
  hasAudio: z.boolean().optional(),
  hasConsent: z.boolean().optional(),
  qaIsReviewed: z.boolean().optional(),
  qaReviewedByUserUid: z.guid().nullish(),
  qaReviewedDate: dateTimeString.nullish(),
  statistics: statisticsSchema.nullish(),
  trackerHits: z.array(trackerHitSchema).nullish(),
  insights: insightsSchema.nullish(),
  aiInsights: aiInsightsSchema.nullish(),
  sentiment: sentimentSchema.nullish(),
  sentimentRaw: sentimentRawSchema.nullish(),
  metadata: metadataSchema.nullish(),
  details: detailsSchema.nullish(),
  metrics: metricsSchema.nullish(),
  ignoredPhrases: z.array(ignoredPhraseSchema).nullish(),
  /** Keyed by score uid: the keys are data, so they keep their casing. */
  scores: z.record(z.string(), scoreSchema).nullish(),
});
export type IntegrationConversationView = z.output<typeof integrationConversationViewSchema>;
