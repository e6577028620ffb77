import { describe, expect, it } from "vitest";
import { CREDO_EVENT_TYPES } from "../../../src/sources/credo/credo-event.ts";
import { recoverEventName } from "../../../src/sources/credo/recover-event-name.ts";

describe("recoverEventName", () => {
  it("reads the event from Credo AI's default `CredoAI.<event>.v1`", () => {
    expect(recoverEventName("CredoAI.use_case_review_status_updated.v1", null)).toBe(
      "use_case_review_status_updated",
    );
  });

  it.each(CREDO_EVENT_TYPES)("knows %s", (event) => {
    expect(recoverEventName(`CredoAI.${event}.v1`, undefined)).toBe(event);
  });

  it.each([
    ["a bare event name", "use_case_name_updated", "use_case_name_updated"],
    [
      "a prefix with dots and no suffix",
      "acme.prod.use_case_icon_updated",
      "use_case_icon_updated",
    ],
    ["a suffix with dots", "CredoAI.use_case_review_comment.v2.beta", "use_case_review_comment"],
    ["a custom prefix", "acme.use_case_name_updated", "use_case_name_updated"],
    ["an extended suffix", "CredoAI.use_case_name_updated.v1.beta", "use_case_name_updated"],
  ])("finds the event without configuration in %s", (_, type, expected) => {
    expect(recoverEventName(type, null)).toBe(expected);
  });

  it("strips a configured prefix that contains dots, and an empty suffix", () => {
    const options = { prefix: "northwind.governance", suffix: "" };
    expect(recoverEventName("northwind.governance.use_case_regions_updated", null, options)).toBe(
      "use_case_regions_updated",
    );
  });

  it("prefers the configured affixes over a known name inside the prefix", () => {
    // A customer who named a comments-only subscription after its event.
    const options = { prefix: "use_case_review_comment", suffix: "v1" };
    expect(
      recoverEventName("use_case_review_comment.use_case_review_status_updated.v1", null, options),
    ).toBe("use_case_review_status_updated");
  });

  it.each([
    ["the event name", "use_case_review_task_deleted", "use_case_review_task_deleted"],
    ["a name without `use_case_`", "review_status_updated", "use_case_review_status_updated"],
    ["a full type", "CredoAI.use_case_icon_updated.v1", "use_case_icon_updated"],
  ])("falls back to a subject holding %s", (_, subject, expected) => {
    expect(recoverEventName("CredoAI.UseCaseChanged.v1", subject)).toBe(expected);
  });

  it("routes on `type` when `type` and `subject` disagree", () => {
    expect(recoverEventName("CredoAI.use_case_name_updated.v1", "icon_updated")).toBe(
      "use_case_name_updated",
    );
  });

  it.each([
    ["an unknown event", "CredoAI.use_case_deleted.v1", null],
    ["an unknown event and subject", "CredoAI.use_case_deleted.v1", "deleted"],
    ["an empty type and subject", "", ""],
    ["a near miss", "CredoAI.use_case_name_update.v1", "name_update"],
  ])("returns null for %s", (_, type, subject) => {
    expect(recoverEventName(type, subject)).toBeNull();
  });
});
