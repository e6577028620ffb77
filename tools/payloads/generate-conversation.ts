import { pick, randomNumber, randomUuid } from "./random-ids.ts";

/** A Capturi `IntegrationConversationView` as plain camelCase JSON, the way the API returns it. */
export type ConversationJson = Record<string, unknown> & { uid: string; lastChanged: string };

export interface GenerateConversationOptions {
  uid?: string;
  /** `lastChanged` and the processing metrics end here. Defaults to now. */
  now?: Date;
}

// Modelled on test/fixtures/capturi/conversation-processed.full.json: Danish sales and support calls.
const CALLS = [
  {
    subject: "Tilbud på erhvervsabonnement – 25 brugere",
    customer: "Nordlys ApS",
    summary:
      "Kunden ønsker at skifte 25 medarbejdere til et erhvervsabonnement. Sælger gennemgik priser og binding; kunden nævnte et konkurrerende tilbud. Aftalt: skriftligt tilbud i dag, opfølgning fredag.",
    labels: ["B2B", "Tilbud", "Opfølgning"],
    keyTopic: "Erhvervsabonnement",
  },
  {
    subject: "Dobbeltopkrævning for april",
    customer: "Mette Sørensen",
    summary:
      "Kunden er opkrævet to gange for april og overvejer at opsige. Agenten oprettede en kreditnota og bekræftede tilbagebetaling inden for fem hverdage.",
    labels: ["Fakturering", "Churn-risiko"],
    keyTopic: "Fakturering",
  },
  {
    subject: "Flytning af bredbånd til ny adresse",
    customer: "Jonas Holm",
    summary:
      "Kunden flytter 1. juni og vil beholde sit bredbånd. Teknikerbesøg booket til 3. juni; kunden fik bekræftelse på mail.",
    labels: ["Flytning", "Bredbånd"],
    keyTopic: "Flytning",
  },
] as const;

/** A plausible processed conversation with fresh uids, `lastChanged` = now. */
export function generateConversation(options: GenerateConversationOptions = {}): ConversationJson {
  const now = options.now ?? new Date();
  const duration = randomNumber(120, 900);
  const started = new Date(now.getTime() - duration * 1000 - 60_000);
  const call = pick(CALLS);
  const userUid = randomUuid();
  const trackerUid = randomUuid();
  const scoreUid = randomUuid();
  const salesTime = randomNumber(duration * 0.4, duration * 0.6);
  return {
    organizationId: "7c1e4b2a-93d5-4f0e-8a61-2b9f0c4d7e13",
    teamUid: "b84f2d61-0e7a-4c39-9d15-6a3e8f2c1b70",
    userUid,
    uid: options.uid ?? randomUuid(),
    state: "Success",
    externalIdentity: `puzzel-${Math.floor(Math.random() * 1e10)}`,
    subject: call.subject,
    customer: call.customer,
    status: "Closed",
    summary: call.summary,
    source: "Puzzel",
    dateTime: started.toISOString(),
    lastChanged: now.toISOString(),
    duration,
    labels: [...call.labels],
    deleted: false,
    hasAudio: true,
    hasConsent: true,
    qaIsReviewed: false,
    qaReviewedByUserUid: null,
    qaReviewedDate: null,
    statistics: {
      salesPerson: speakerStatistics(0, salesTime, duration),
      otherPerson: speakerStatistics(1, duration - salesTime - 10, duration),
    },
    trackerHits: [
      {
        uid: trackerUid,
        words: [
          {
            word: "pris",
            hits: 1,
            timeline: [{ when: randomNumber(0, duration), speakerUserUid: userUid, speakerId: 0 }],
          },
        ],
      },
    ],
    insights: {
      salesPerson: monologue(randomNumber(130, 170), duration),
      otherPerson: monologue(randomNumber(120, 160), duration),
    },
    aiInsights: {
      keyTopic: call.keyTopic,
      keySubTopic: null,
      rootCause: null,
      customSummary: call.summary,
    },
    sentiment: {
      wordScore: { user: "High", other: pick(["Low", "Medium", "High"]), combined: "Medium" },
    },
    sentimentRaw: { wordScore: { user: 0.71, other: randomNumber(0, 1), combined: 0.56 } },
    metadata: { customProp1: call.customer, customProp2: null, customNumberProp1: 25 },
    details: {
      previousConversationDistance: null,
      nextConversationDistance: null,
      speakerCount: 2,
      qaIsReviewed: false,
    },
    metrics: {
      created: started.toISOString(),
      dataAdded: new Date(now.getTime() - 40_000).toISOString(),
      metadataAdded: new Date(now.getTime() - 39_000).toISOString(),
      audioAdded: new Date(now.getTime() - 38_000).toISOString(),
      processingDone: now.toISOString(),
    },
    ignoredPhrases: [],
    scores: {
      [scoreUid]: { uid: scoreUid, score: Math.floor(randomNumber(50, 100)), parameters: [] },
    },
  };
}

function speakerStatistics(speakerId: number, speakTime: number, duration: number) {
  const from = randomNumber(0, duration / 2);
  return {
    speaker: { speakerId, speakTime, questionCount: Math.floor(randomNumber(0, 10)) },
    when: [{ from, to: randomNumber(from, duration) }],
    questions: [
      {
        text: speakerId === 0 ? "hvad betaler I i dag per bruger" : "er der binding på aftalen",
        firstWordIndex: 41,
        lastWordIndex: 46,
        from,
        to: from + 2.5,
      },
    ],
  };
}

function monologue(wordsPerMinute: number, duration: number) {
  const from = randomNumber(0, duration / 2);
  const length = randomNumber(10, 60);
  return { wordsPerMinute, longestMonologue: { duration: length, from, to: from + length } };
}
