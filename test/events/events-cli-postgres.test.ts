import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStores } from "../../src/inbox/postgres/open-postgres-stores.ts";
import type { Stores } from "../../src/inbox/stores.ts";
import { runEventsCli } from "../../src/inspect/cli/run-events-cli.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres/create-test-database.ts";
import { runEventsScript } from "../helpers/run-events-cli.ts";
import { seedDeliveries } from "../inbox/contract/seed-through-stores.ts";

const DAY_MS = 86_400_000;
let database: TestDatabase;
let stores: Stores;
let env: Record<string, string>;
let ids: number[];

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
  stores = await openPostgresStores(database.url);
  const now = Date.now();
  ids = await seedDeliveries(stores, [
    { status: "done", receivedAt: new Date(now - 20 * DAY_MS), entityUid: "conv-old" },
    {
      source: "credo",
      eventType: "use_case_review_comment",
      status: "dead",
      receivedAt: new Date(now - 2 * DAY_MS),
      idempotencyKey: "msg_2hT9xQ",
    },
    { status: "malformed", idempotencyKey: null, receivedAt: new Date(now - DAY_MS) },
  ]);
});
afterAll(async () => {
  await stores.close();
  await database.drop();
});

describe("npm run events on PostgreSQL (DATABASE_URL, as a child process)", () => {
  it("lists, replays and prunes the same inbox the receivers share", async () => {
    const list = await runEventsScript(["list", "--json"], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).deliveries.map((d: { id: number }) => d.id)).toEqual(
      [...ids].reverse(),
    );

    let woken = 0;
    const unsubscribe = stores.queue.onNewWork(() => woken++);
    await new Promise((resolve) => setTimeout(resolve, 100));
    woken = 0;
    const replay = await runEventsScript(["replay", String(ids[1])], env);
    expect(replay.stdout).toContain("(dead) is pending again");
    // The CLI's replay notified every listening instance, this test's included.
    await expect.poll(() => woken).toBeGreaterThan(0);
    unsubscribe();
    expect((await stores.inspect.getDelivery(ids[1] ?? 0))?.delivery.status).toBe("pending");

    const real = await runEventsScript(["prune", "--older-than-days", "10"], env);
    expect(real.stdout).toMatch(/^Deleted 1 delivery .* \(with 1 attempt\)/);
    expect(await stores.inspect.getDelivery(ids[0] ?? 0)).toBeUndefined();
  });

  it("names the database in --help without its password, and says when it cannot reach it", async () => {
    const url = new URL(database.url);
    url.password = "hunter2-very-secret";
    const out: string[] = [];
    await runEventsCli(["--help"], {
      out: (line) => out.push(line),
      err: () => {},
      env: { DATABASE_URL: url.toString() },
    });
    expect(out.join("\n")).toContain("postgres://postgres:***@127.0.0.1");
    expect(out.join("\n")).not.toContain("hunter2");

    url.port = "9";
    const unreachable = await runEventsScript(["list"], { DATABASE_URL: url.toString() });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(
      "Cannot open the inbox (postgres postgres://postgres:***@",
    );
    expect(unreachable.stderr).not.toContain("hunter2");
  });
});
