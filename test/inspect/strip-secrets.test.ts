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

describe("exported fixtures, as real senders name their credentials", () => {
  it("lose every header whose name carries a credential, and keep the rest", () => {
    const credentials = [
      "authorization",
      "Authentication",
      "x-capturi-token",
      "x-auth-token",
      "token",
      "api-key",
      "apikey",
      "x-api-key",
      "x-webhook-token",
      "x-webhook-secret",
      "private-token",
      "access-token",
      "ocp-apim-subscription-key",
      "x-functions-key",
      "x-hub-signature-256",
      "x-shopify-hmac-sha256",
      "cookie",
      "x-session-id",
      "proxy-authorization",
      "x-amz-security-token",
      "client-secret",
      "x-password",
    ];
    const data = [
      "content-type",
      "content-length",
      "user-agent",
      "svix-id",
      "svix-timestamp",
      "webhook-id",
      "x-request-id",
      "traceparent",
      "x-forwarded-for",
    ];
    const headers = Object.fromEntries([...credentials, ...data].map((name) => [name, "plain"]));

    const stripped = stripSecretHeaders(headers);

    expect(credentials.filter((name) => stripped[name] !== "[stripped]")).toEqual([]);
    expect(data.filter((name) => stripped[name] !== "plain")).toEqual([]);
  });

  it("copy a body nested 100,000 levels deep without running out of stack", () => {
    const depth = 100_000;
    const text = `${'{"a":'.repeat(depth)}{"password":"hunter2","__proto__":"x"}${"}".repeat(depth)}`;
    const copy = stripSecrets(JSON.parse(text));

    let node = copy as Record<string, unknown>;
    for (let level = 0; level < depth; level++) node = node.a as Record<string, unknown>;
    expect(node).toEqual({ password: "[stripped]", ["__proto__"]: "x" });
    expect(Object.getPrototypeOf(node)).toBe(Object.prototype);

    const arrays = stripSecrets(JSON.parse(`${"[".repeat(depth)}"Bearer x"${"]".repeat(depth)}`));
    let item: unknown = arrays;
    for (let level = 0; level < depth; level++) item = (item as unknown[])[0];
    expect(item).toBe("[stripped]");
  });

  it("keep the order of keys and items", () => {
    expect(JSON.stringify(stripSecrets({ b: 1, a: [3, 2, { d: 1, c: 2 }], token: "t" }))).toBe(
      '{"b":1,"a":[3,2,{"d":1,"c":2}],"token":"[stripped]"}',
    );
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
