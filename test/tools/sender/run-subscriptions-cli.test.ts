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
  const run = (...argv: string[]) =>
    runSubscriptionsCli(argv, {
      env,
      cwd: ROOT,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });

  beforeEach(async () => {
    server = await startSandboxServer();
    env = {
      CREDO_API_URL: server.baseUrl,
      CREDO_TENANT: SANDBOX_TENANT,
      CREDO_API_TOKEN: SANDBOX_API_TOKEN,
    };
    out = [];
    err = [];
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
    expect(out.join("\n")).toContain("(kept; --delete-extra removes it)");
    expect(server.sandbox.subscriptions.list()).toHaveLength(2);

    expect(await run("sync", "--delete-extra")).toBe(0);
    expect(
      server.sandbox.subscriptions.list().map((webhook) => webhook.attributes.description),
    ).toEqual(["webhook-inbox: every use case event"]);
  });

  it("create, update, list and delete one webhook", async () => {
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
    expect(created?.attributes).toMatchObject({
      event_type_prefix: "acme",
      authentication_method: "none",
    });
    expect(created?.attributes.event_types).toHaveLength(15);

    expect(await run("update", created?.id ?? "", "--suffix", "v2")).toBe(0);
    expect(server.sandbox.subscriptions.get(created?.id ?? "")?.attributes).toMatchObject({
      event_type_prefix: "acme",
      event_type_suffix: "v2",
    });

    out = [];
    expect(await run("list")).toBe(0);
    expect(out.join("\n")).toContain("acme.<event>.v2");

    expect(await run("delete", created?.id ?? "")).toBe(0);
    expect(server.sandbox.subscriptions.list()).toEqual([]);
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
    );
    expect(code).toBe(0);
    expect(server.sandbox.subscriptions.list()[0]?.attributes.authentication_payload).toMatchObject(
      {
        client_secret: secret,
      },
    );
    expect(await run("list", "--json")).toBe(0);
    expect(out.join("\n")).toContain("[hidden]");
    expect(out.join("\n")).not.toContain(secret);
  });

  it("exits 1 with the API's own error title", async () => {
    expect(await run("delete", "AAAAAAAAAAAAAAAAAAAAAA")).toBe(1);
    expect(err).toEqual([
      "error: delete webhook AAAAAAAAAAAAAAAAAAAAAA failed: 404 Not found: No webhook with id AAAAAAAAAAAAAAAAAAAAAA",
    ]);

    err = [];
    expect(
      await run(
        "create",
        "--url",
        "https://x.example.com",
        "--events",
        "all",
        "--description",
        "o",
        "--auth-method",
        "o_auth",
      ),
    ).toBe(1);
    expect(err[0]).toMatch(
      /^error: create webhook failed: 422 Invalid attribute: data.attributes.authentication_server: Required/,
    );
  });

  it("names the missing variables, and rejects unknown event names before calling the API", async () => {
    env = { CREDO_API_URL: server.baseUrl };
    expect(await run("list")).toBe(1);
    expect(err[0]).toMatch(/^error: Set CREDO_TENANT, CREDO_API_TOKEN:\n {2}CREDO_TENANT: /);

    err = [];
    expect(
      await run(
        "create",
        "--url",
        "https://x.example.com",
        "--events",
        "use_case_review_status_update",
        "--description",
        "x",
      ),
    ).not.toBe(0);
    expect(err.join("\n")).toContain("Unknown event type use_case_review_status_update");
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
    env = { ...env, CREDO_API_URL: `http://127.0.0.1:${await freePort()}` };
    expect(await run("list")).toBe(1);
    expect(err).toEqual(["error: fetch failed"]);
  });
});
