/**
 * `npm run bench -- --indexes`: what each index of `deliveries` costs. Over copies of one
 * 200,000-row inbox, each with one index dropped, 10,000 deliveries are recorded through the
 * real Inbox (group commit, 50 at a time), then 3,000 of them claimed and finished through the
 * real WorkQueue. With synchronous=OFF, so that fsync (the same for every variant) does not
 * hide the difference. The unique idempotency index is not optional (deduplication needs it).
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { NewDelivery } from "../src/inbox/inbox.ts";
import { openSqliteStores } from "../src/inbox/sqlite/open-sqlite-stores.ts";
import { benchDataDir } from "./bench-data-dir.ts";
import { buildInbox } from "./build-inbox.ts";

const BASE_ROWS = 200_000;
const INSERTS = 10_000;
const CLAIMS = 3_000;
const CONCURRENT = 50;
const REQUIRED = "deliveries_by_idempotency_key";
/** Every variant once per round, in turns; the best round counts: load from elsewhere only adds. */
const ROUNDS = 3;

export interface IndexCost {
  /** The index left out, or "(all)" for the schema as shipped. */
  without: string;
  insertMicros: number;
  claimAndFinishMicros: number;
}

function delivery(): NewDelivery {
  const uid = randomUUID();
  return {
    source: "capturi",
    method: "POST",
    path: "/webhooks/capturi",
    headers: { "content-type": "application/json" },
    body: Buffer.from(JSON.stringify({ event: "ConversationProcessed", uid })),
    receivedAt: new Date(),
    authMethod: "header-token",
    authKey: "#1 bench",
    status: "pending",
    eventType: "ConversationProcessed",
    idempotencyKey: randomUUID(),
    payloadMode: "uid",
    entityUid: uid,
    issues: null,
  };
}

async function measureVariant(file: string, without: string | undefined): Promise<IndexCost> {
  const stores = openSqliteStores(file);
  for (const db of [stores.db, stores.workDb]) db.pragma("synchronous = OFF");
  if (without) stores.db.exec(`DROP INDEX ${without}`);
  const insertStarted = performance.now();
  for (let done = 0; done < INSERTS; done += CONCURRENT) {
    await Promise.all(
      Array.from({ length: CONCURRENT }, () => stores.inbox.recordDelivery(delivery())),
    );
  }
  const insertMicros = ((performance.now() - insertStarted) * 1000) / INSERTS;
  const claimStarted = performance.now();
  for (let i = 0; i < CLAIMS; i += 1) {
    const claim = await stores.queue.claimNext("bench", 60_000, new Date(), 8);
    if (!claim) throw new Error("ran out of pending deliveries");
    await stores.queue.finish(claim, { kind: "succeeded" }, new Date());
  }
  const claimAndFinishMicros = ((performance.now() - claimStarted) * 1000) / CLAIMS;
  await stores.close();
  return { without: without ?? "(all)", insertMicros, claimAndFinishMicros };
}

function best(costs: (IndexCost | undefined)[]): IndexCost {
  const present = costs.filter((cost): cost is IndexCost => cost !== undefined);
  return {
    without: present[0]?.without ?? "",
    insertMicros: Math.min(...present.map((cost) => cost.insertMicros)),
    claimAndFinishMicros: Math.min(...present.map((cost) => cost.claimAndFinishMicros)),
  };
}

export async function measureIndexCost(log: (line: string) => void): Promise<IndexCost[]> {
  const dir = benchDataDir("bench-indexes-");
  const base = path.join(dir, "base.db");
  try {
    log(`  building ${BASE_ROWS.toLocaleString("en-US")} deliveries`);
    buildInbox(base, { total: BASE_ROWS });
    const stores = openSqliteStores(base);
    const indexes = (
      stores.db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'deliveries' AND sql IS NOT NULL",
        )
        .all() as { name: string }[]
    )
      .map((row) => row.name)
      .filter((name) => name !== REQUIRED);
    await stores.close();
    const variants = [undefined, ...indexes];
    const rounds: IndexCost[][] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      log(`  round ${round} of ${ROUNDS}: every index left out in turn`);
      const results: IndexCost[] = [];
      // The first variant of a round ran slower whichever it was (page cache after the copies):
      // one unmeasured run first.
      for (const without of [undefined, ...variants]) {
        const file = path.join(dir, "variant.db");
        copyFileSync(base, file);
        results.push(await measureVariant(file, without));
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
      }
      rounds.push(results.slice(1));
    }
    return variants.map((_, index) => best(rounds.map((results) => results[index])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
