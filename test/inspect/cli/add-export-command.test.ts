import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEventsCli } from "../../../src/inspect/cli/run-events-cli.ts";
import { capturiFixtures, credoFixtures } from "../../fixtures/index.ts";
import { collectOutput } from "../../helpers/child-output.ts";
import {
  createTestReceiver,
  TEST_CAPTURI_TOKEN,
  type TestReceiver,
} from "../../helpers/create-test-receiver.ts";
import { seedDeliveries } from "../../helpers/seed-deliveries.ts";
import { signCredo } from "../../helpers/sign-credo.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
// Unique names, so that nothing a developer exported is touched, and removed afterwards.
const RUN = `export-check-${process.pid}-${Date.now()}`;
const created: string[] = [];

let receiver: TestReceiver;
let ids: { credo: number; capturi: number; deep: number };

async function exportDelivery(id: number, out?: string) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runEventsCli(["export", String(id), ...(out ? ["--out", out] : [])], {
    env: { DATABASE_PATH: receiver.databasePath },
    cwd: ROOT,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
  });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

/** Runs a tool of the repository to completion, as a developer would from its root. */
async function run(args: string[]) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collectOutput(child);
  const [code] = await once(child, "exit");
  return { code: code as number | null, output: `${output.stdout()}${output.stderr()}` };
}

beforeAll(async () => {
  receiver = createTestReceiver();
  const credoBody = JSON.stringify(credoFixtures.use_case_review_comment);
  const credo = await receiver.request
    .post("/webhooks/credo")
    .set(signCredo(credoBody))
    .send(credoBody);
  const capturi = await receiver.request
    .put("/webhooks/capturi")
    .set({ "content-type": "application/json", authorization: `Bearer ${TEST_CAPTURI_TOKEN}` })
    .send(JSON.stringify(capturiFixtures.conversationProcessedFull));
  const depth = 100_000;
  const [deep] = seedDeliveries(receiver.db, [
    { body: `${'{"a":'.repeat(depth)}{"token":"x"}${"}".repeat(depth)}` },
  ]);
  ids = { credo: credo.body.id, capturi: capturi.body.id, deep: deep ?? 0 };
});

afterAll(() => {
  receiver.close();
  for (const file of created) rmSync(file, { force: true });
  for (const dir of ["test/exported", "test/fixtures/exported"].map((d) => path.join(ROOT, d))) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
});

describe("npm run events -- export", () => {
  it("prints a test that runs as printed, for a Credo AI and a Capturi delivery", async () => {
    const tests: string[] = [];
    for (const source of ["credo", "capturi"] as const) {
      const fixture = `test/fixtures/exported/${RUN}.${source}.json`;
      const result = await exportDelivery(ids[source], fixture);
      created.push(path.join(ROOT, fixture));
      expect(result.code, result.stderr).toBe(0);

      const [, testFile, snippet] =
        /save this as (\S+), then run npx vitest run \S+\n\n([\s\S]+)$/.exec(result.stdout) ?? [];
      expect(testFile).toBe(`test/exported/${RUN}.${source}.test.ts`);
      // Exactly what was printed, as a developer pastes it.
      mkdirSync(path.join(ROOT, "test/exported"), { recursive: true });
      writeFileSync(path.join(ROOT, testFile ?? ""), `${snippet}\n`);
      created.push(path.join(ROOT, testFile ?? ""));
      tests.push(testFile ?? "");
    }

    // `npm test` also lints and type-checks whatever is in test/: the pasted files must pass all three.
    const tsconfig = path.join(ROOT, `test/exported/${RUN}.tsconfig.json`);
    const include = tests.map((file) =>
      path.relative(path.dirname(tsconfig), path.join(ROOT, file)),
    );
    writeFileSync(tsconfig, JSON.stringify({ extends: "../../tsconfig.json", include }));
    created.push(tsconfig);
    const [vitest, biome, tsc] = await Promise.all([
      run(["node_modules/vitest/vitest.mjs", "run", ...tests]),
      run(["node_modules/@biomejs/biome/bin/biome", "check", ...tests]),
      run(["node_modules/typescript/bin/tsc", "--noEmit", "-p", tsconfig]),
    ]);
    expect(vitest.output).toMatch(/Tests\s+2 passed/);
    expect(vitest.code, vitest.output).toBe(0);
    expect(biome.code, biome.output).toBe(0);
    expect(tsc.code, tsc.output).toBe(0);
  }, 180_000); // Three tools run as child processes: only a hang takes this long, even on a busy machine.

  it("refuses a body nested 100,000 levels deep with a message, not a stack overflow", async () => {
    const result = await exportDelivery(ids.deep, `test/fixtures/exported/${RUN}.deep.json`);
    created.push(path.join(ROOT, `test/fixtures/exported/${RUN}.deep.json`));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: Delivery ${ids.deep}'s body nests more than 1000 levels deep, too deep for a fixture a test can send again. \`npm run events -- show ${ids.deep} --json\` prints it as stored.`,
    );
    expect(existsSync(path.join(ROOT, `test/fixtures/exported/${RUN}.deep.json`))).toBe(false);
  });
});
