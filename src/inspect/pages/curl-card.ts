import type { ReplayCurl } from "../build-replay-curl.ts";
import { html, type SafeHtml } from "../html.ts";
import { card } from "./card.ts";

/**
 * "Copy as curl": the stored body sent again to a URL the user types. The script asks the server
 * for a freshly signed command when the URL or the id choice changes, and again before copying.
 */
export function curlCard(options: { id: number; url: string; curl: ReplayCurl }): SafeHtml {
  const { curl } = options;
  const content = html`<div class="curl-form" id="curl-form" data-id="${options.id}">
  <label>Send to <input id="curl-url" name="url" type="url" value="${options.url}" spellcheck="false"></label>
  ${curl.messageId === undefined ? "" : html`<label class="check"><input id="curl-new-id" type="checkbox"> a new webhook-id</label>`}
</div>
<p class="muted" id="curl-note">${curlNote(curl)}</p>
<pre class="code code-short" id="curl">${curl.command}</pre>`;
  return card(
    "Copy as curl",
    content,
    html`<button type="button" class="button button-small" data-copy="curl">Copy</button>`,
    "curl-card",
  );
}

/** What the command needs and what it will do; the API's `note` is the same text. */
export function curlNote(curl: ReplayCurl): string {
  const id =
    curl.messageId === undefined
      ? ""
      : ` It sends webhook-id ${curl.messageId}: by default the stored one, because sending it to another receiver is the use; the receiver that stored it answers it as a duplicate and does not process it again (tick "a new webhook-id" to send it as a new message).`;
  switch (curl.auth) {
    case "signed":
      return `Signed just now with this machine's development secret (a configured secret is never used here, and none is shown). Receivers refuse a timestamp older than their tolerance (5 min by default): Copy signs it again.${id}`;
    case "sign-yourself":
      return `No development secret is in use, so the command signs in your shell: set WEBHOOK_SECRET to the whsec_… secret of the receiving end first (it needs openssl).${id}`;
    case "token-placeholder":
      return `Set ${curl.tokenVariable} to a token the receiving end accepts (its ${curl.tokenVariable}S; npm start prints the development one); the stored token is never shown.`;
    default:
      return "It arrived without authentication (auth none), so none is sent.";
  }
}
