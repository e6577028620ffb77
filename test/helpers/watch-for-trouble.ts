import type { Page } from "playwright-core";

/** Our own page must not trip the CSP, nothing a payload carries may run, nothing is missing. */
export function watchForTrouble(page: Page): string[] {
  const trouble: string[] = [];
  page.on("pageerror", (error) => trouble.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource/.test(message.text()))
      trouble.push(message.text());
  });
  // Nothing the page asks for is missing (headless Chromium never asks for a favicon: see inspect-routes).
  page.on("response", (response) => {
    if (response.status() === 404) trouble.push(`404 ${response.url()}`);
  });
  return trouble;
}
