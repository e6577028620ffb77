import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runSubscriptionsCli } from "../../../tools/sender/subscriptions/run-subscriptions-cli.ts";
import { freePort } from "../../helpers/free-port.ts";
import {
  SANDBOX_API_TOKEN,
  SANDBOX_TENANT,
  type SandboxServer,
  startSandboxServer,
} from "../../helpers/start-sandbox-server.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");

describe("npm run subscriptions", () => {
  let server: SandboxServer;
  let out: string[];
  let err: string[];
  let env: Record<string, string>;
  let requests: { method: string; path: string; body: string }[];
  // Passes every request on to the sandbox, keeping what the CLI sent.
  const recordingFetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = request.body === null ? "" : await request.clone().text();
    requests.push({ method: request.method, path: new URL(request.url).pathname, body });
    return globalThis.fetch(request);
  };
  const run = (...argv: string[]) =>
    runSubscriptionsCli(argv, {
      env,
      cwd: ROOT,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      fetch: recordingFetch,
    });

  beforeEach(async () => {
    server = await startSandboxServer();
    env = {
      CREDO_API_URL: server.baseUrl,
      CREDO_TENANT: SANDBOX_TENANT,
      CREDO_API_TOKEN: SANDBOX_API_TOKEN,
      // No receiver runs there: sync falls back to localhost:3000 for PUBLIC_BASE_URL.
      DATA_DIR: mkdtempSync(path.join(tmpdir(), "subscriptions-data-")),
    };
    out = [];
    err = [];
    requests = [];
  });
  afterEach(() => server.close());

  it("syncs the committed manifest: creates, then finds it unchanged", async () => {
    env.PUBLIC_BASE_URL = "https://inbox.example.com";

    expect(await run("sync", "--dry-run")).toBe(0);
    expect(out.join("\n")).toContain(
      "+ create     webhook-inbox: every use case event → https://inbox.example.com/webhooks/credo",
    );
    expect(server.sandbox.subscriptions.list()).toHaveLength(0);

    expect(await run("sync")).toBe(0);
    const [created] = server.sandbox.subscriptions.list();
    expect(created?.attributes.url).toBe("https://inbox.example.com/webhooks/credo");

    out = [];
    expect(await run("sync")).toBe(0);
    expect(out).toEqual([`= unchanged  ${created?.id}  webhook-inbox: every use case event`]);
  });

  it("updates a drifted webhook and deletes extras only with --delete-extra", async () => {
    await run("sync");
    const [ours] = server.sandbox.subscriptions.list();
    server.sandbox.subscriptions.update(ours?.id ?? "", {
      url: "https://old.example.com/webhooks/credo",
    });
    await run(
      "create",
      "--url",
      "https://other.example.com/hook",
      "--events",
      "use_case_name_updated",
      "--description",
      "someone else's",
    );
    out = [];

    expect(await run("sync")).toBe(0);
    expect(out.join("\n")).toMatch(/~ update .* \(url\)/);
    const patch = requests.find((request) => request.method === "PATCH");
    expect(Object.keys(JSON.parse(patch?.body ?? "{}").data.attributes)).toEqual(["url"]);
    expect(out.join("\n")).toContain("(kept; --delete-extra removes it)");
    expect(server.sandbox.subscriptions.list()).toHaveLength(2);

    expect(await run("sync", "--delete-extra")).toBe(0);
    expect(
      server.sandbox.subscriptions.list().map((webhook) => webhook.attributes.description),
    ).toEqual(["webhook-inbox: every use case event"]);
  });

  it("create, update, list and delete one webhook, each printing one line", async () => {
    expect(
      await run(
        "create",
        "--url",
        "http://127.0.0.1:3000/webhooks/credo",
        "--events",
        "all",
        "--description",
        "local",
        "--prefix",
        "acme",
      ),
    ).toBe(0);
    const [created] = server.sandbox.subscriptions.list();
    const id = created?.id ?? "";
    expect(created?.attributes).toMatchObject({
      event_type_prefix: "acme",
      authentication_method: "none",
    });
    expect(created?.attributes.event_types).toHaveLength(15);
    expect(out).toEqual([`created  ${id}  local`]);

    out = [];
    expect(await run("update", id, "--suffix", "v2")).toBe(0);
    expect(server.sandbox.subscriptions.get(id)?.attributes).toMatchObject({
      event_type_prefix: "acme",
      event_type_suffix: "v2",
    });
    expect(out).toEqual([`updated  ${id}  local (event_type_suffix)`]);
    // Only what changes is sent: never the whole set, with the nulls the API returns.
    const patch = requests.find((request) => request.method === "PATCH");
    expect(JSON.parse(patch?.body ?? "{}")).toEqual({
      data: { id, type: "webhook", attributes: { event_type_suffix: "v2" } },
    });

    out = [];
    expect(await run("list")).toBe(0);
    expect(out.join("\n")).toContain("acme.<event>.v2");

    out = [];
    expect(await run("delete", id)).toBe(0);
    expect(out).toEqual([`deleted  ${id}`]);
    expect(server.sandbox.subscriptions.list()).toEqual([]);
  });

  it("prints the JSON:API resource of create and update with --json", async () => {
    const args = ["--url", "https://inbox.example.com/webhooks/credo", "--description", "json"];
    expect(await run("create", ...args, "--events", "use_case_name_updated", "--json")).toBe(0);
    const created = JSON.parse(out.join("\n"));
    expect(created).toMatchObject({ type: "webhook", attributes: { description: "json" } });

    out = [];
    expect(await run("update", created.id, "--environment", "staging", "--json")).toBe(0);
    expect(JSON.parse(out.join("\n"))).toMatchObject({
      id: created.id,
      attributes: { environment: "staging", event_types: ["use_case_name_updated"] },
    });
  });

  it("lists a webhook without a suffix as Credo AI sends its type, and an empty payload as {}", async () => {
    server.sandbox.subscriptions.create({
      description: "plain",
      url: "https://inbox.example.com/webhooks/credo",
      event_types: ["use_case_custom_field_updated"],
      authentication_method: "none",
      event_type_suffix: null,
      authentication_payload: {},
    });

    expect(await run("list")).toBe(0);
    expect(out.join("\n")).toContain("  CredoAI.<event>  ");

    out = [];
    expect(await run("list", "--json")).toBe(0);
    expect(JSON.parse(out.join("\n"))[0].attributes.authentication_payload).toEqual({});
  });

  it("never prints the OAuth credentials of a webhook", async () => {
    const secret = "oauth-client-secret-5d1c9e0a";
    const code = await run(
      "create",
      "--url",
      "https://inbox.example.com/webhooks/credo",
      "--events",
      "use_case_name_updated",
      "--description",
      "with oauth",
      "--auth-method",
      "o_auth",
      "--auth-server",
      "https://auth.example.com/token",
      "--auth-payload",
      JSON.stringify({ client_id: "inbox", client_secret: secret }),
      "--auth-payload-type",
      "application/json",
      "--json",
    );
    expect(code).toBe(0);
    expect(out.join("\n")).not.toContain(secret);
    expect(server.sandbox.subscriptions.list()[0]?.attributes.authentication_payload).toMatchObject(
      {
        client_secret: secret,
      },
    );
    out = [];
    expect(await run("list", "--json")).toBe(0);
    expect(JSON.parse(out.join("\n"))[0].attributes.authentication_payload).toEqual({
      client_id: "[hidden]",
      client_secret: "[hidden]",
    });
    expect(out.join("\n")).not.toContain(secret);
  });

  it("exits 1 with the API's own error title", async () => {
    expect(await run("delete", "AAAAAAAAAAAAAAAAAAAAAA")).toBe(1);
    expect(err).toEqual([
      "error: delete webhook AAAAAAAAAAAAAAAAAAAAAA failed: 404 Not found: No webhook with id AAAAAAAAAAAAAAAAAAAAAA",
    ]);
  });

  it("refuses o_auth without its server, payload and payload type, before calling the API", async () => {
    const create = [
      "create",
      "--url",
      "https://x.example.com",
      "--events",
      "all",
      "--description",
      "o",
      "--auth-method",
      "o_auth",
      "--auth-server",
      "https://auth.example.com/token",
    ];
    expect(await run(...create)).toBe(1);
    expect(err).toEqual([
      "error: The webhook would use --auth-method o_auth without --auth-payload, --auth-payload-type: Credo AI requires --auth-server, --auth-payload and --auth-payload-type with o_auth.",
    ]);
    expect(requests).toEqual([]);

    const plain = server.sandbox.subscriptions.create({
      description: "plain",
      url: "https://x.example.com",
      event_types: ["use_case_name_updated"],
      authentication_method: "none",
    });
    err = [];
    expect(await run("update", plain.id, "--auth-method", "o_auth")).toBe(1);
    expect(err[0]).toMatch(
      /^error: Webhook \w+ would use --auth-method o_auth without --auth-server, --auth-payload, --auth-payload-type:/,
    );
    expect(requests.map((request) => request.method)).not.toContain("PATCH");
  });

  it("names the missing variables", async () => {
    env = { CREDO_API_URL: server.baseUrl };
    expect(await run("list")).toBe(1);
    expect(err[0]).toMatch(/^error: Set CREDO_TENANT, CREDO_API_TOKEN:\n {2}CREDO_TENANT: /);
  });

  it("subscribes to event names it does not know, with a warning, as Credo AI's API takes any", async () => {
    expect(
      await run(
        "create",
        "--url",
        "https://x.example.com",
        "--events",
        "use_case_risk_tier_updated,use_case_name_updated",
        "--description",
        "x",
      ),
    ).toBe(0);
    expect(err).toEqual([
      expect.stringMatching(
        /^warning: use_case_risk_tier_updated is not one of the 15 Credo AI event types this kit knows; subscribing anyway/,
      ),
    ]);
    expect(server.sandbox.subscriptions.list()[0]?.attributes.event_types).toEqual([
      "use_case_risk_tier_updated",
      "use_case_name_updated",
    ]);
  });

  it("prints --help on every command", async () => {
    for (const command of ["list", "create", "update", "delete", "sync"]) {
      out = [];
      expect(await run(command, "--help")).toBe(0);
      expect(out.join("\n")).toContain(`Usage: subscriptions ${command}`);
    }
  });

  it("reads a manifest given with --manifest and reports what is wrong with it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "manifest-"));
    writeFileSync(
      path.join(dir, "bad.json"),
      JSON.stringify({ subscriptions: [{ description: "x" }] }),
    );
    expect(await run("sync", "--manifest", path.join(dir, "bad.json"))).toBe(1);
    expect(err.join("\n")).toContain("is invalid");
  });

  it("says so when the API cannot be reached, without a stack", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    env = { ...env, CREDO_API_URL: url };
    expect(await run("list")).toBe(1);
    expect(err).toEqual([`error: fetch failed (ECONNREFUSED) for ${url}/auth/exchange`]);
  });
});
