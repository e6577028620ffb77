import { type ChildProcess, execFile, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { credoFixtures } from "../fixtures/index.ts";
import { collectOutput, stopChild } from "../helpers/child-output.ts";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "../helpers/create-test-receiver.ts";
import { signCredo } from "../helpers/sign-credo.ts";
import { readMetric } from "./read-metric.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const INSPECT_TOKEN = "inspect-token-for-the-build-test-0123";
const work = mkdtempSync(path.join(tmpdir(), "inbox-build-"));
let server: ChildProcess | undefined;
afterAll(async () => {
  if (server) await stopChild(server, "SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

/**
 * What the Dockerfile does, without Docker (there is no engine on these machines): the build
 * stage (`npm run build` over a copy of the sources), the deps stage (`npm ci --omit=dev` in a
 * copy of the manifests), and the runtime stage (`node dist/main.js` in production mode), probed
 * and sent a signed delivery.
 */
describe("the production build (the Dockerfile's steps)", () => {
  it("builds, installs production dependencies only, starts without a TypeScript loader and stores a delivery", async () => {
    // Build stage: the sources and both tsconfigs, with the repository's dev dependencies.
    const build = path.join(work, "build");
    for (const entry of [
      "src",
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "tsconfig.build.json",
    ]) {
      cpSync(path.join(ROOT, entry), path.join(build, entry), { recursive: true });
    }
    symlinkSync(path.join(ROOT, "node_modules"), path.join(build, "node_modules"), "dir");
    await run("npm", ["run", "build"], { cwd: build });
    expect(existsSync(path.join(build, "dist/main.js"))).toBe(true);
    expect(existsSync(path.join(build, "dist/inspect/assets/inspect.css"))).toBe(true);

    // Deps stage: what `npm ci --omit=dev` installs from the lock file, offline when the cache has
    // it. --ignore-scripts skips compiling better-sqlite3 (minutes on these machines; the Docker
    // stage does compile or fetch it): its addon, built by the repository's npm ci, is copied.
    const app = path.join(work, "app");
    for (const entry of ["package.json", "package-lock.json"]) {
      cpSync(path.join(ROOT, entry), path.join(app, entry));
    }
    await run(
      "npm",
      ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
      { cwd: app },
    );
    const addon = "node_modules/better-sqlite3/build/Release/better_sqlite3.node";
    cpSync(path.join(ROOT, addon), path.join(app, addon));
    // Nothing only for development came along; a missing run-time dependency fails the start below.
    for (const devOnly of ["tsx", "typescript", "vitest", "esbuild", "pino-pretty", "@biomejs"]) {
      expect(existsSync(path.join(app, "node_modules", devOnly)), devOnly).toBe(false);
    }

    // Runtime stage: dist/ only, production settings, one of them from a .env file.
    cpSync(path.join(build, "dist"), path.join(app, "dist"), { recursive: true });
    writeFileSync(path.join(app, ".env"), `CREDO_WEBHOOK_SECRETS=${TEST_CREDO_SECRET}\n`);
    server = spawn(process.execPath, ["--enable-source-maps", "dist/main.js"], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: path.join(work, "data"),
        CAPTURI_TOKENS: TEST_CAPTURI_TOKEN,
        INSPECT_TOKEN,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = collectOutput(server);
    await expect
      .poll(() => output.stdout() + output.stderr(), { timeout: 20_000 })
      .toMatch(/webhook-inbox listening|cannot start/);
    const port = Number(/"port":(\d+)/.exec(output.stdout())?.[1]);
    expect(port, output.stderr()).toBeGreaterThan(0);
    const url = `http://127.0.0.1:${port}`;

    expect((await fetch(`${url}/livez`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const body = JSON.stringify(credoFixtures.use_case_review_status_updated);
    const delivered = await fetch(`${url}/webhooks/credo`, {
      method: "POST",
      headers: signCredo(body),
      body,
    });
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toMatchObject({ status: "pending", duplicate: false });

    const bearer = { authorization: `Bearer ${INSPECT_TOKEN}` };
    expect((await fetch(`${url}/metrics`)).status).toBe(401); // production: the token, even on loopback
    const metrics = await (await fetch(`${url}/metrics`, { headers: bearer })).text();
    expect(
      readMetric(metrics, "webhook_inbox_deliveries_received_total", {
        source: "credo",
        outcome: "stored",
      }),
    ).toBe(1);
    const css = await fetch(`${url}/inspect/assets/inspect.css`, { headers: bearer });
    expect(css.status).toBe(200);

    expect(await stopChild(server, "SIGTERM")).toBe(0);
    server = undefined;
    expect(output.stdout()).toContain('"msg":"stopped"');
  }, 240_000);

  it("is what the Dockerfile runs: the same steps, a slim non-root runtime, /livez as its health check", () => {
    const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS deps$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS runtime$/m);
    expect(dockerfile).toMatch(/^COPY --from=deps \/app\/node_modules \.\/node_modules$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \/data$/m);
    expect(dockerfile).toMatch(/DATA_DIR=\/data/);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n[^\n]*\/livez/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--enable-source-maps", "dist\/main.js"\]$/m);
    const ignored = readFileSync(path.join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["node_modules", "dist", "data", ".env", ".git"]) {
      expect(ignored).toContain(entry);
    }
  });
});
