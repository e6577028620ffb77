import { describe, expect, it } from "vitest";
import { credoSource } from "../../../src/sources/credo/credo-source.ts";
import { parseCredo } from "../../../src/sources/credo/parse-credo.ts";
import { sha256Hex } from "../../../src/sources/sha256-hex.ts";
import type { AuthenticatedRequest, IncomingRequest } from "../../../src/sources/source.ts";
import { credoEventTypes, credoFixtures } from "../../fixtures/index.ts";

const MESSAGE_ID = "msg_2xQ7kLp9RtVb3nW8cHd4mZ1fYs6";

// Signatures are tested in test/receive; here the id comes from the headers as sent.
const unverified = credoSource.configure({ ...credoSource.settings.parse({}), auth: "none" });

/** A delivery as the receive step hands it over; `svix-id` unless other headers are given. */
function requestFor(
  body: unknown,
  headers: IncomingRequest["headers"] = { "svix-id": MESSAGE_ID },
): AuthenticatedRequest {
  const request = { method: "POST", headers, rawBody: Buffer.from(JSON.stringify(body)) };
  const auth = unverified.authenticate(request, new Date());
  if (!auth.ok) throw new Error(auth.message);
  return { ...request, auth };
}

function parse(body: unknown, options?: { prefix?: string; suffix?: string }) {
  return parseCredo(body, requestFor(body), options);
}

// Without a subject by default, so that a test of `type` routing cannot pass through the fallback.
function withType(type: string, subject: string | null = null) {
  return { ...structuredClone(credoFixtures.use_case_name_updated), type, subject };
}

describe("parseCredo: every fixture", () => {
  it.each(credoEventTypes)("accepts %s", (type) => {
    const body = credoFixtures[type];
    const outcome = parse(body);

    expect(outcome).toMatchObject({
      status: "accepted",
      eventType: type,
      idempotencyKey: MESSAGE_ID,
      payloadMode: "full",
      entityUid: body.data.useCaseId,
    });
    if (outcome.status !== "accepted") return;
    expect(outcome.event).toEqual({
      source: "credo",
      type,
      messageId: MESSAGE_ID,
      time: body.time,
      rawType: body.type,
      subject: body.subject,
      data: body.data,
    });
  });

  it("narrows `data` on `type` for handlers", () => {
    const outcome = parse(credoFixtures.use_case_review_task_status_updated);
    if (outcome.status !== "accepted") throw new Error(`expected accepted, got ${outcome.status}`);
    const { event } = outcome;
    if (event.type !== "use_case_review_task_status_updated") throw new Error(event.type);
    // Compiles only because `event.data` is the task-status shape here.
    expect([event.data.status, event.data.subStatus]).toEqual([
      "in_progress",
      "ready_for_validation",
    ]);
  });
});

describe("parseCredo: event names", () => {
  it.each([
    ["a custom prefix and no suffix", "acme.use_case_name_updated", { prefix: "acme", suffix: "" }],
    ["an extended suffix", "CredoAI.use_case_name_updated.v1.beta", undefined],
    [
      "a configured prefix with dots",
      "northwind.governance.use_case_name_updated.v1",
      { prefix: "northwind.governance" },
    ],
  ])("routes %s and keeps the raw type", (_, type, options) => {
    const outcome = parse(withType(type), options);
    expect(outcome).toMatchObject({
      status: "accepted",
      eventType: "use_case_name_updated",
      event: { type: "use_case_name_updated", rawType: type },
    });
  });

  it("falls back to a subject without the `use_case_` prefix", () => {
    const body = structuredClone(credoFixtures.use_case_review_status_updated);
    const outcome = parse({
      ...body,
      type: "CredoAI.ReviewChanged.v1",
      subject: "review_status_updated",
    });
    expect(outcome).toMatchObject({
      status: "accepted",
      eventType: "use_case_review_status_updated",
    });
  });

  it("reports an unknown event as unhandled, under its raw type", () => {
    const outcome = parse(withType("CredoAI.use_case_deleted.v1", "use_case_deleted"));
    expect(outcome).toEqual({
      status: "unhandled",
      eventType: "CredoAI.use_case_deleted.v1",
      idempotencyKey: MESSAGE_ID,
      payloadMode: "full",
      entityUid: credoFixtures.use_case_name_updated.data.useCaseId,
    });
  });
});

describe("parseCredo: invalid bodies", () => {
  it("rejects a task status outside the documented enum, at `data.status`", () => {
    const body = structuredClone(credoFixtures.use_case_review_task_status_updated);
    const outcome = parse({ ...body, data: { ...body.data, status: "blocked" } });
    expect(outcome).toMatchObject({
      status: "invalid",
      eventType: "use_case_review_task_status_updated",
      entityUid: body.data.useCaseId,
    });
    if (outcome.status !== "invalid") return;
    expect(outcome.issues.map((issue) => issue.path)).toEqual(["data.status"]);
  });

  it("reports a missing actor at `data.user`", () => {
    const { user: _, ...data } = structuredClone(credoFixtures.use_case_review_comment.data);
    const outcome = parse({ ...credoFixtures.use_case_review_comment, data });
    if (outcome.status !== "invalid") throw new Error(`expected invalid, got ${outcome.status}`);
    expect(outcome.issues.map((issue) => issue.path)).toEqual(["data.user"]);
  });

  it("rejects a body without `data`, keeping the recovered event name", () => {
    const { data: _, ...body } = structuredClone(credoFixtures.use_case_is_vendor_updated);
    const outcome = parse(body);
    expect(outcome).toMatchObject({
      status: "invalid",
      eventType: "use_case_is_vendor_updated",
      entityUid: null,
      issues: [{ path: "data" }],
    });
  });

  it("rejects an envelope without `type`, with no event name", () => {
    const { type: _, ...body } = structuredClone(credoFixtures.use_case_name_updated);
    expect(parse(body)).toMatchObject({
      status: "invalid",
      eventType: null,
      issues: [{ path: "type" }],
    });
  });

  it.each([[["time"]], [["source"]], [["time", "source"]]])(
    "accepts a body without %j: only `type` and `data` are needed",
    (fields) => {
      const body: Record<string, unknown> = {
        ...structuredClone(credoFixtures.use_case_name_updated),
      };
      for (const field of fields) delete body[field];
      const outcome = parse(body);
      if (outcome.status !== "accepted")
        throw new Error(`expected accepted, got ${outcome.status}`);
      expect(outcome.event.time).toBe(fields.includes("time") ? null : body.time);
      expect(outcome.event.data).toEqual(body.data);
    },
  );

  it("accepts `time` and `source` sent as null, as a Python sender writes an unset field", () => {
    const body = { ...credoFixtures.use_case_name_updated, time: null, source: null };
    expect(parse(body)).toMatchObject({ status: "accepted", event: { time: null } });
  });

  it.each([
    ["a UTC offset", "2025-08-07T05:56:32.136590+00:00", "accepted"],
    ["no offset", "2025-08-07T05:56:32.136590", "accepted"],
    ["no fraction", "2025-08-07T05:56:32Z", "accepted"],
    ["words", "yesterday", "invalid"],
  ])("treats a time with %s as %s", (_, time, status) => {
    expect(parse({ ...credoFixtures.use_case_name_updated, time }).status).toBe(status);
  });

  it.each([null, 42, "x", [], true, {}, { type: 5 }, { type: "CredoAI.use_case_name_updated.v1" }])(
    "never throws on %j",
    (json) => {
      const outcome = parse(json);
      expect(outcome.status).toBe("invalid");
      expect(outcome.idempotencyKey).toBe(MESSAGE_ID);
    },
  );
});

describe("parseCredo: idempotency key", () => {
  const body = credoFixtures.use_case_name_updated;

  it.each([
    ["`svix-id`", { "svix-id": "msg_svix" }, "msg_svix"],
    ["`webhook-id` from a white-labelled account", { "webhook-id": "msg_white" }, "msg_white"],
    [
      "`svix-id` over `webhook-id`",
      { "svix-id": "msg_svix", "webhook-id": "msg_white" },
      "msg_svix",
    ],
    ["the first of repeated headers", { "svix-id": ["msg_first", "msg_second"] }, "msg_first"],
  ])("takes %s", (_, headers, expected) => {
    const outcome = parseCredo(body, requestFor(body, headers));
    expect(outcome).toMatchObject({ idempotencyKey: expected, event: { messageId: expected } });
  });

  it("hashes the exact bytes when no id header arrives", () => {
    const request = requestFor(body, {});
    const again = requestFor(body, { "svix-id": "" });
    const other = requestFor({ ...body, time: "2025-08-07T06:00:00.000000Z" }, {});

    const key = parseCredo(body, request).idempotencyKey;
    expect(key).toBe(sha256Hex(request.rawBody));
    expect(parseCredo(body, again).idempotencyKey).toBe(key);
    expect(parseCredo(body, other).idempotencyKey).not.toBe(key);
  });
});

describe("parseCredo: leniency", () => {
  it("keeps fields Credo AI adds later, at every level", () => {
    const body = structuredClone(credoFixtures.use_case_review_comment);
    const data = {
      ...body.data,
      workspaceId: "Ws4Lp8Qx2Rt6Vm9Kd3Nb7C",
      user: { ...body.data.user, department: "Risk" },
    };
    const outcome = parse({ ...body, specversion: "1.0", data });
    if (outcome.status !== "accepted") throw new Error(`expected accepted, got ${outcome.status}`);
    expect(outcome.event.data).toMatchObject({
      workspaceId: data.workspaceId,
      user: { department: "Risk" },
    });
  });

  it("accepts a cleared value, optional actor fields sent as null, and ids that are uuids", () => {
    const body = structuredClone(credoFixtures.use_case_description_updated);
    const useCaseId = "0b9f7c9e-4a7d-4f5e-9a43-6e1d2b8c5f10";
    const user = { ...body.data.user, givenName: null, job: null };
    const outcome = parse({ ...body, data: { ...body.data, useCaseId, value: null, user } });
    expect(outcome).toMatchObject({ status: "accepted", entityUid: useCaseId });
  });
});
