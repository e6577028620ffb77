import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.ts";
import { defineHandlers } from "../../src/handlers/define-handlers.ts";
import { sources } from "../../src/handlers/index.ts";
import { type RunningReceiver, startReceiver } from "../../src/start-receiver.ts";
import { credoFixtures } from "../fixtures/index.ts";
import { TEST_CAPTURI_TOKEN, TEST_CREDO_SECRET } from "../helpers/create-test-receiver.ts";
import { CHROMIUM_PATH, launchChromium } from "../helpers/launch-chromium.ts";
import { signCredo } from "../helpers/sign-credo.ts";
import { watchForTrouble } from "../helpers/watch-for-trouble.ts";
import {
  hostileConversation,
  hostileUnknownEvent,
  IMG_PAYLOAD,
  SCRIPT_PAYLOAD,
} from "./xss-payloads.ts";

const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");
let dir: string;
let receiver: RunningReceiver;
let baseUrl: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "inspect-browser-"));
  const config = loadConfig(
    {
      DATABASE_PATH: path.join(dir, "inbox.db"),
      PORT: "0",
      HOST: "127.0.0.1",
      CAPTURI_TOKENS: TEST_CAPTURI_TOKEN,
      CREDO_WEBHOOK_SECRETS: TEST_CREDO_SECRET,
      CAPTURI_API_URL: "http://127.0.0.1:9",
    },
    sources,
  );
  if (!config.ok) throw new Error(config.error);
  receiver = await startReceiver({
    config: config.value,
    sources,
    handlers: defineHandlers(sources, {
      capturi: { ConversationProcessed: async (_event, ctx) => void (await ctx.conversation()) },
      credo: { use_case_review_comment: () => {} },
    }),
    logger: pino({ level: "silent" }),
  });
  baseUrl = `http://127.0.0.1:${receiver.port}`;
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function sendCapturi(body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${baseUrl}/webhooks/capturi`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${TEST_CAPTURI_TOKEN}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

async function sendCredoComment(comment: string): Promise<number> {
  const event = structuredClone(credoFixtures.use_case_review_comment);
  event.data.comment = comment;
  const body = JSON.stringify(event);
  const res = await fetch(`${baseUrl}/webhooks/credo`, {
    method: "POST",
    headers: signCredo(body),
    body,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

// Skipped only outside CI, where Debian's Chromium may not be installed; .ci/run installs it, and
// there a missing browser must fail the run, not pass it quietly.
describe.skipIf(!existsSync(CHROMIUM_PATH) && !process.env.CI)(
  "the inspect page in Chromium",
  () => {
    it("shows deliveries as they arrive, filters, shows one safely, and replays it", async () => {
      const page = await browser.context.newPage();
      const trouble = watchForTrouble(page);
      const hostileId = await sendCapturi(hostileConversation(), { "x-note": IMG_PAYLOAD });
      const commentId = await sendCredoComment(
        "Please attach the bias evaluation before we approve.",
      );

      await page.goto(`${baseUrl}/inspect`);
      await page.locator(`tr[data-id="${hostileId}"]`).waitFor();
      await page.locator(`tr[data-id="${commentId}"]`).waitFor();
      // A marker that a reload would wipe: the rows below must arrive without one.
      await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));

      const unknownId = await sendCapturi(hostileUnknownEvent());
      const laterCommentId = await sendCredoComment("Approved after review.");
      await page.locator(`tr[data-id="${laterCommentId}"]`).waitFor();
      await page.locator(`tr[data-id="${unknownId}"]`).waitFor();
      expect(
        await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument),
      ).toBe(true);
      const ids = await page
        .locator("#deliveries tbody tr")
        .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-id"))));
      expect(ids.slice(0, 4)).toEqual([laterCommentId, unknownId, commentId, hostileId]);
      // The unknown event type is shown as text, not markup.
      await expect
        .poll(() => page.locator(`tr[data-id="${unknownId}"] .event-type`).textContent())
        .toBe(`Evil${IMG_PAYLOAD}`);
      // The worker settles them; the list follows (done for handled events, unhandled for the unknown one).
      await page.locator(`tr[data-id="${commentId}"] .pill-done`).waitFor();
      await page.locator(`tr[data-id="${hostileId}"] .pill-done`).waitFor();
      await page.locator(`tr[data-id="${unknownId}"] .pill-unhandled`).waitFor();
      await page.locator('[data-count="all"]').filter({ hasText: /^4$/ }).waitFor();
      await page.locator('[data-count="done"]').filter({ hasText: /^3$/ }).waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, "inspect-list.png"), fullPage: true });

      await page.selectOption('select[name="source"]', "credo");
      await Promise.all([page.waitForURL(/source=credo/), page.click('button[type="submit"]')]);
      const filtered = await page
        .locator("#deliveries tbody tr")
        .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-id"))));
      expect(filtered).toEqual([laterCommentId, commentId]);

      await page.goto(`${baseUrl}/inspect/deliveries/${hostileId}`);
      await page.locator("#delivery .pill-done").waitFor();
      expect(await page.locator("#body").textContent()).toContain(SCRIPT_PAYLOAD);
      expect(await page.locator("td", { hasText: "onerror" }).first().textContent()).toBe(
        IMG_PAYLOAD,
      );
      await expect.poll(() => page.locator("#attempts tbody tr").count()).toBe(1);

      await page.click("#replay");
      await page.locator('#attempts tr[data-trigger="replay"]').waitFor();
      expect(await page.locator("#attempts tbody tr").count()).toBe(2);
      await page.locator("#delivery .pill-done").waitFor();
      expect(
        await page.locator('#attempts tr[data-trigger="replay"] .pill-outcome-succeeded').count(),
      ).toBe(1);
      await page.screenshot({ path: path.join(ARTIFACTS, "inspect-delivery.png"), fullPage: true });

      expect(
        await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
      ).toBeUndefined();
      expect(await page.title()).toBe(`Delivery #${hostileId} · webhook-inbox`);
      expect(trouble).toEqual([]);
    });
  },
);
