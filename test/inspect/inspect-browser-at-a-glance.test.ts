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

const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");
/** The error a dead delivery ends with: long, as the URLs in real errors are. */
const LONG_ERROR = `GET http://localhost:4010/api/v2/organisations/northwind-insurance/use-cases/8f14e45f-ceea-467f-a0e6-1f5c2b9d3a71/reviews/comments?include=author,attachments,history&page=1 failed: 503 Service Unavailable`;
let dir: string;
let receiver: RunningReceiver;
let baseUrl: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "inspect-glance-"));
  const config = loadConfig(
    {
      DATABASE_PATH: path.join(dir, "inbox.db"),
      PORT: "0",
      HOST: "127.0.0.1",
      CAPTURI_TOKENS: TEST_CAPTURI_TOKEN,
      CREDO_WEBHOOK_SECRETS: TEST_CREDO_SECRET,
      CAPTURI_API_URL: "http://127.0.0.1:9",
      // Three attempts, and a day of backoff between them: a failed delivery waits until Retry now.
      WORKER_MAX_ATTEMPTS: "3",
      WORKER_BACKOFF_BASE_MS: String(24 * 3_600_000),
      WORKER_BACKOFF_MAX_MS: String(24 * 3_600_000),
    },
    sources,
  );
  if (!config.ok) throw new Error(config.error);
  receiver = await startReceiver({
    config: config.value,
    sources,
    handlers: defineHandlers(sources, {
      capturi: { ConversationProcessed: () => {} },
      credo: {
        use_case_review_comment: ({ data }, ctx) => {
          if (data.comment === "fail once" && ctx.attempt === 1) throw new Error("first try fails");
          if (data.comment === "always fail") throw new Error(LONG_ERROR);
        },
      },
    }),
    logger: pino({ level: "silent" }),
    // Copy as curl signs with it, as with the development secret `npm start` generates.
    developmentSigningSecrets: { credo: TEST_CREDO_SECRET },
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

/** Sends one Credo AI comment; the same `messageId` again is the sender retrying it. */
async function sendComment(comment: string, messageId?: string, attempt = 1): Promise<number> {
  const event = structuredClone(credoFixtures.use_case_review_comment);
  event.data.comment = comment;
  const body = JSON.stringify(event);
  const res = await fetch(`${baseUrl}/webhooks/credo`, {
    method: "POST",
    headers: {
      ...signCredo(body, messageId ? { id: messageId } : {}),
      "svix-attempt": String(attempt),
    },
    body,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

/** `pending after 1`: the status and how many attempts have started. */
async function statusOf(id: number): Promise<string> {
  const res = await fetch(`${baseUrl}/inspect/api/deliveries/${id}`);
  const { delivery } = (await res.json()) as { delivery: { status: string; attemptCount: number } };
  return `${delivery.status} after ${delivery.attemptCount}`;
}

describe.skipIf(!existsSync(CHROMIUM_PATH) && !process.env.CI)(
  "the inspect page at a glance, in Chromium",
  () => {
    it("shows duplicates, retries a waiting delivery now, charts the day and fits 1,280 px", async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      const trouble = watchForTrouble(page);

      const tripleId = await sendComment("Sent three times by Svix.", "msg_sent_three_times");
      for (const attempt of [2, 3]) {
        expect(
          await sendComment("Sent three times by Svix.", "msg_sent_three_times", attempt),
        ).toBe(tripleId);
      }
      const waitingId = await sendComment("fail once");
      const deadId = await sendComment("always fail");
      // The dead one waits out its backoff too; its third (last) attempt fails for good.
      for (const attempts of [1, 2]) {
        await expect
          .poll(() => statusOf(deadId), { timeout: 10_000 })
          .toBe(`pending after ${attempts}`);
        const retried = await fetch(`${baseUrl}/inspect/api/deliveries/${deadId}/retry-now`, {
          method: "POST",
          headers: { "x-inspect-request": "1" },
        });
        expect(retried.status).toBe(200);
      }
      await expect.poll(() => statusOf(deadId), { timeout: 10_000 }).toBe("dead after 3");
      await expect.poll(() => statusOf(tripleId), { timeout: 10_000 }).toBe("done after 1");
      await expect.poll(() => statusOf(waitingId), { timeout: 10_000 }).toBe("pending after 1");

      // Arrivals: the row's badge and the delivery's list.
      await page.goto(`${baseUrl}/inspect`);
      expect(await page.locator(`tr[data-id="${tripleId}"] [data-arrivals]`).textContent()).toBe(
        "×3",
      );
      expect(await page.locator(`tr[data-id="${waitingId}"] [data-arrivals]`).count()).toBe(0);

      // The chart has a bar for every delivery sent (the duplicates are one delivery).
      const barTotals = await page
        .locator("#chart .bar")
        .evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute("data-total"))));
      expect(barTotals).toHaveLength(48);
      expect(barTotals.reduce((a, b) => a + b, 0)).toBe(3);
      expect(barTotals.at(-1)).toBe(3);
      expect(await page.locator("#chart .bar").last().locator("title").textContent()).toMatch(
        /: 3 \(1 done, 1 pending, 1 dead\)$/,
      );
      expect(await page.locator("#chart .bar").last().locator("rect.bar-dead").count()).toBe(1);

      // At 1,280 × 800 the dead delivery's row shows every column up to the start of its error.
      const row = page.locator(`tr[data-id="${deadId}"]`);
      const error = row.locator('[data-cell="error"]');
      expect(await error.getAttribute("title")).toBe(LONG_ERROR);
      const box = await error.boundingBox();
      if (!box) throw new Error("the last-error cell is not laid out");
      expect(box.x + box.width).toBeLessThanOrEqual(1280);
      expect(box.width).toBeGreaterThanOrEqual(250);
      for (const cell of await row.locator("td").all()) {
        const cellBox = await cell.boundingBox();
        expect(cellBox && cellBox.x + cellBox.width).toBeLessThanOrEqual(1280);
      }
      expect(
        await page.evaluate<number>("document.scrollingElement.scrollWidth"),
      ).toBeLessThanOrEqual(1280);
      expect(
        await page.locator(".table-wrap").evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth),
      ).toBe(0);
      expect(await row.locator("time").getAttribute("title")).toMatch(/ UTC$/);
      expect(await row.locator("time").textContent()).toMatch(/^(just now|\d+ s ago)$/);
      await page.screenshot({
        path: path.join(ARTIFACTS, "inspect-list-1280.png"),
        fullPage: true,
      });

      await page.goto(`${baseUrl}/inspect/deliveries/${tripleId}`);
      expect(await page.locator("#arrivals tbody tr").count()).toBe(3);
      expect(await page.locator('#arrivals tr[data-duplicate="true"]').count()).toBe(2);
      expect(await page.locator("#arrivals tbody td:nth-child(3)").allTextContents()).toEqual([
        "1",
        "2",
        "3",
      ]);
      expect(await page.locator("#answer").textContent()).toContain(`"id": ${tripleId}`);
      expect(await page.locator("#curl").textContent()).toContain(
        "webhook-id: msg_sent_three_times",
      );
      await page.screenshot({
        path: path.join(ARTIFACTS, "inspect-delivery-arrivals.png"),
        fullPage: true,
      });

      // Retry now: the waiting delivery runs at once, and its second attempt succeeds.
      await page.goto(`${baseUrl}/inspect/deliveries/${waitingId}`);
      expect(await page.locator("#delivery [data-status-pill]").textContent()).toBe("pending");
      expect(await page.locator("dd time").nth(1).textContent()).toMatch(/^in \d+ (h|min)$/);
      await page.click("#retry-now");
      await page.locator("#delivery .pill-done").waitFor();
      expect(await page.locator("#attempts tbody tr").count()).toBe(2);
      expect(await page.locator("#retry-now").count()).toBe(0);

      await page.goto(`${baseUrl}/inspect/deliveries/${deadId}`);
      const card = await page.locator(".grid .card").first().boundingBox();
      const lastError = await page.locator(".facts .error").boundingBox();
      expect(card && lastError).toBeTruthy();
      if (card && lastError)
        expect(lastError.x + lastError.width).toBeLessThanOrEqual(card.x + card.width);
      expect(
        await page.evaluate<number>("document.scrollingElement.scrollWidth"),
      ).toBeLessThanOrEqual(1280);
      await page.screenshot({
        path: path.join(ARTIFACTS, "inspect-delivery-dead.png"),
        fullPage: true,
      });
      expect(trouble).toEqual([]);
    });

    it("after Retry now fails again, shows the new attempt and the next wait, not “Retrying now…” for a minute", async () => {
      const page = await browser.context.newPage();
      const trouble = watchForTrouble(page);
      const id = await sendComment("always fail");
      await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe("pending after 1");
      await page.goto(`${baseUrl}/inspect/deliveries/${id}`);
      expect(await page.locator("#attempts tbody tr").count()).toBe(1);
      await page.click("#retry-now");
      // The second attempt fails: back to pending, a day of backoff away. The page reloads.
      await page.locator("#attempts tbody tr").nth(1).waitFor({ timeout: 10_000 });
      expect(await page.locator("#delivery [data-status-pill]").textContent()).toBe("pending");
      expect(await page.locator("#retry-now").count()).toBe(1);
      expect(await statusOf(id)).toBe("pending after 2");
      expect(trouble).toEqual([]);
    });
  },
);
