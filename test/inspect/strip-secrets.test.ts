import { describe, expect, it } from "vitest";
import { stripSecretHeaders, stripSecrets } from "../../src/inspect/cli/strip-secrets.ts";
import { escapeHtml, html } from "../../src/inspect/html.ts";
import { parseTimeInput } from "../../src/inspect/parse-time.ts";

describe("exported fixtures", () => {
  it("lose signature headers and credential-looking values, keep the data", () => {
    expect(
      stripSecretHeaders({
        "webhook-signature": "v1,abc=",
        "x-capturi-token": "t",
        "content-type": "application/json",
        "x-trace": "Bearer abc.def",
      }),
    ).toEqual({
      "webhook-signature": "[stripped]",
      "x-capturi-token": "[stripped]",
      "content-type": "application/json",
      "x-trace": "[stripped]",
    });
    expect(
      stripSecrets({
        uid: "c4f8e2a1",
        nested: [{ password: "hunter2", accessToken: "x", note: "eyJhbGciOi.eyJzdWIi.sig" }],
        tokenCount: 3,
        secret: { kept: "objects are walked, not replaced" },
      }),
    ).toEqual({
      uid: "c4f8e2a1",
      nested: [{ password: "[stripped]", accessToken: "[stripped]", note: "[stripped]" }],
      tokenCount: 3,
      secret: { kept: "objects are walked, not replaced" },
    });
  });
});

describe("the page helpers", () => {
  it("escape every interpolated value, once, and keep nested templates", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;",
    );
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p title="${'"x'}">${inner}${["<", null, false, 2]}</p>`.value).toBe(
      '<p title="&quot;x"><b>&lt;i&gt;</b>&lt;2</p>',
    );
  });

  it("read times as ISO, UTC date-times, or durations ago", () => {
    const now = new Date("2025-06-01T12:00:00Z");
    expect(parseTimeInput("2h", now)).toEqual(new Date("2025-06-01T10:00:00Z"));
    expect(parseTimeInput("7d", now)).toEqual(new Date("2025-05-25T12:00:00Z"));
    expect(parseTimeInput("2025-05-13 10:42", now)).toEqual(new Date("2025-05-13T10:42:00Z"));
    expect(parseTimeInput("2025-05-13", now)).toEqual(new Date("2025-05-13T00:00:00Z"));
    expect(parseTimeInput("2025-05-13T10:42:00+02:00", now)).toEqual(
      new Date("2025-05-13T08:42:00Z"),
    );
    expect(parseTimeInput("yesterday", now)).toBeUndefined();
  });
});
