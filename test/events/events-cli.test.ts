import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../src/inbox/sqlite/open-database.ts";
import { runEventsCli } from "../../src/inspect/cli/run-events-cli.ts";
import { credoFixtures } from "../fixtures/index.ts";
import { runEventsScript } from "../helpers/run-events-cli.ts";
import { addAttempt, seedDeliveries } from "../helpers/seed-deliveries.ts";

const DAY_MS = 86_400_000;
let dir: string;
let env: Record<string, string>;
let db: Db;
let ids: number[];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "events-cli-"));
  env = { DATABASE_PATH: path.join(dir, "inbox.db") };
  db = openDatabase(env.DATABASE_PATH ?? "");
  const now = Date.now();
  ids = seedDeliveries(db, [
    { source: "capturi", status: "done", receivedAtMs: now - 20 * DAY_MS, entityUid: "conv-old" },
    {
      source: "credo",
      eventType: "use_case_review_comment",
      status: "dead",
      receivedAtMs: now - 2 * DAY_MS,
      idempotencyKey: "msg_2hT9xQ",
      entityUid: credoFixtures.use_case_review_comment.data.useCaseId,
      body: JSON.stringify({
        ...credoFixtures.use_case_review_comment,
        apiToken: "tok_live_abc",
        note: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      }),
      headers: {
        "content-type": "application/json",
        "svix-id": "msg_2hT9xQ",
        "svix-timestamp": "1754545279",
        "svix-signature": "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
        "x-custom-token": "abc",
      },
    },
    {
      source: "capturi",
      status: "malformed",
      idempotencyKey: null,
      body: "{not json",
      receivedAtMs: now - DAY_MS,
    },
    {
      source: "capturi",
      status: "invalid",
      receivedAtMs: now - 1000,
      issues: [{ path: "uid", message: "Required" }],
    },
  ]);
  addAttempt(db, ids[1] ?? 0, 1, "failed");
  addAttempt(db, ids[0] ?? 0, 1);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run events (as a child process, on the database directly)", () => {
  it("lists newest first with counts, filters like the page, and prints JSON with --json", async () => {
    const table = await runEventsScript(["list"], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^ID\s+RECEIVED \(UTC\)\s+SOURCE\s+EVENT TYPE\s+STATUS\s+TRIES\s+ENTITY UID$/,
    );
    expect(lines.slice(1, 5).map((line) => Number(line.split(/\s+/)[0]))).toEqual(
      [...ids].reverse(),
    );
    expect(table.stdout).toContain(
      "4 shown · all stored, by status: done 1 · dead 1 · invalid 1 · malformed 1",
    );
    // Counts that ignored --status beside "0 shown" read as a contradiction: they say what they count.
    const none = await runEventsScript(["list", "--status", "pending"], env);
    expect(none.stdout).toContain(
      "0 shown (--status pending) · stored, by status: done 1 · dead 1 · invalid 1 · malformed 1",
    );

    const json = await runEventsScript(
      ["list", "--source", "credo", "--since", "7d", "--json"],
      env,
    );
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.deliveries.map((d: { id: number }) => d.id)).toEqual([ids[1]]);
    expect(parsed.nextCursor).toBeNull();

    const bad = await runEventsScript(["list", "--status", "lost"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error: status must be one of pending, processing");
  });

  it("shows one delivery: auth at receipt, headers, pretty body, attempts", async () => {
    const res = await runEventsScript(["show", String(ids[1])], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Delivery #${ids[1]}  credo use_case_review_comment  [dead]`);
    expect(res.stdout).toContain("verified at receipt: header-token, matched #1 abcd1234");
    expect(res.stdout).toContain("  svix-id: msg_2hT9xQ");
    expect(res.stdout).toContain('    "useCaseId": "7mQ2xR9kLp4TzW8nVb3cHd",');
    expect(res.stdout).toMatch(/#1 receipt .* failed/);
    const missing = await runEventsScript(["show", "999"], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No delivery 999.");
  });

  it("shows what the sender got back and each arrival, duplicates included", async () => {
    const id = ids[1];
    db.prepare(
      `UPDATE deliveries SET answer_status = 200, answer_body = '{"status":"pending"}',
        sender_attempt = '1', request_id = 'req-first' WHERE id = ?`,
    ).run(id);
    const arrival = db.prepare(
      `INSERT INTO delivery_arrivals (delivery_id, received_at_ms, request_id, sender_attempt,
        status_code) VALUES (?, ?, ?, ?, 200)`,
    );
    arrival.run(id, Date.parse("2025-06-01T12:00:05Z"), "req-second", "2");
    arrival.run(id, Date.parse("2025-06-01T12:00:35Z"), null, null);
    const res = await runEventsScript(["show", String(id)], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Answered at receipt:\n  200 {"id":${id},"status":"pending"}`);
    expect(res.stdout).toContain("Arrivals (3: 2 duplicates):");
    expect(res.stdout).toMatch(
      / {2}first .* answered 200 {2}sender attempt 1 {2}request req-first/,
    );
    expect(res.stdout).toContain(
      "  duplicate 2025-06-01 12:00:05 UTC  answered 200  sender attempt 2  request req-second",
    );
    expect(res.stdout).toContain(
      "  duplicate 2025-06-01 12:00:35 UTC  answered 200  sender attempt -  request -",
    );
    const older = await runEventsScript(["show", String(ids[0])], env);
    expect(older.stdout).toContain("not kept (stored before answers were kept)");
    expect(older.stdout).toContain("Arrivals (1):");
  });

  it("replays one delivery or many, and refuses a malformed one with the reason", async () => {
    const one = await runEventsScript(["replay", String(ids[1])], env);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("(dead) is pending again");
    const status = (id: number | undefined) =>
      db.prepare("SELECT status, next_trigger FROM deliveries WHERE id = ?").get(id) as Record<
        string,
        string
      >;
    expect(status(ids[1])).toEqual({ status: "pending", next_trigger: "replay" });

    const malformed = await runEventsScript(["replay", String(ids[2])], env);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain(
      `error: Delivery ${ids[2]} cannot be replayed. Its body is not JSON`,
    );

    const nothing = await runEventsScript(["replay"], env);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("Give a delivery id, or filters");

    const many = await runEventsScript(["replay", "--source", "capturi", "--since", "3d"], env);
    expect(many.stdout).toContain("Replayed 1 delivery. Left alone: 1 malformed.");
    expect(status(ids[3])).toEqual({ status: "pending", next_trigger: "replay" });
  });

  it("exports a delivery as a fixture without signatures or secrets, with a hint", async () => {
    const out = path.join(dir, "exported", "comment.json");
    const res = await runEventsScript(["export", String(ids[1]), "--out", out], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Wrote ${out}`);
    expect(res.stdout).toContain(
      "A test that sends it again: save this as test/exported/comment.test.ts",
    );
    const fixture = JSON.parse(readFileSync(out, "utf8"));
    expect(fixture).toMatchObject({
      source: "credo",
      eventType: "use_case_review_comment",
      method: "POST",
    });
    expect(fixture.headers).toEqual({
      "content-type": "application/json",
      "svix-id": "msg_2hT9xQ",
      "svix-timestamp": "1754545279",
      "svix-signature": "[stripped]",
      "x-custom-token": "[stripped]",
    });
    expect(fixture.body.apiToken).toBe("[stripped]");
    expect(fixture.body.note).toBe("[stripped]");
    expect(fixture.body.data).toEqual(credoFixtures.use_case_review_comment.data);
    const malformed = await runEventsScript(["export", String(ids[2])], env);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("not JSON");
  });

  it("prunes by age, with a dry run first", async () => {
    const dry = await runEventsScript(["prune", "--older-than-days", "10", "--dry-run"], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Would delete 1 delivery received before .* \(with 1 attempt\)/);
    expect(db.prepare("SELECT count(*) AS n FROM deliveries").get()).toEqual({ n: 4 });
    const real = await runEventsScript(["prune", "--older-than-days", "10"], env);
    expect(real.stdout).toMatch(/^Deleted 1 delivery /);
    expect(db.prepare("SELECT count(*) AS n FROM deliveries WHERE id = ?").get(ids[0])).toEqual({
      n: 0,
    });
    expect(
      db.prepare("SELECT count(*) AS n FROM attempts WHERE delivery_id = ?").get(ids[0]),
    ).toEqual({ n: 0 });
  });

  it("says where the inbox should be when there is none", async () => {
    const res = await runEventsScript(["list"], { DATA_DIR: path.join(dir, "nowhere") });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/No inbox at .*nowhere\/inbox\.db\. Start the receiver once/);
  });
});

describe("events --help", () => {
  it.each(["list", "show", "replay", "prune", "export"])("explains %s", async (command) => {
    const out: string[] = [];
    const code = await runEventsCli([command, "--help"], {
      out: (line) => out.push(line),
      err: () => {},
      env,
    });
    expect(code).toBe(0);
    expect(out.join("\n")).toMatch(new RegExp(`^Usage: events ${command}`));
  });

  it("lists every command", async () => {
    const out: string[] = [];
    expect(
      await runEventsCli(["--help"], { out: (line) => out.push(line), err: () => {}, env }),
    ).toBe(0);
    for (const command of ["list", "show", "replay", "prune", "export"])
      expect(out.join("\n")).toContain(`  ${command}`);
  });
});
