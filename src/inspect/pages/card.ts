import { html, type SafeHtml } from "../html.ts";

/** A titled card of a delivery's page, with an optional button beside the title. */
export function card(title: string, content: SafeHtml, action?: SafeHtml, id?: string): SafeHtml {
  return html`<section class="card"${id ? html` id="${id}"` : ""}><div class="card-head"><h2>${title}</h2>${action ?? ""}</div>${content}</section>`;
}

/** One label and value of a facts list. */
export function fact(label: string, value: SafeHtml | string): SafeHtml {
  return html`<dt>${label}</dt><dd>${value}</dd>`;
}
