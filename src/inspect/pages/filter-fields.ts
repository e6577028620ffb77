import { html, type SafeHtml } from "../html.ts";

/** A labelled select of the filter forms; "" is the "any" choice. */
export function selectField(
  label: string,
  name: string,
  choices: readonly string[],
  current: string | undefined,
): SafeHtml {
  const option = (value: string, text = value) =>
    html`<option value="${value}" ${value === (current ?? "") ? "selected" : ""}>${text}</option>`;
  return html`<label>${label} <select name="${name}">${option("", "any")}${choices.map((choice) => option(choice))}</select></label>`;
}

/** A labelled text input of the filter forms. */
export function textField(
  label: string,
  name: string,
  value: string | undefined,
  placeholder: string,
  extra: { list?: string; type?: string; className?: string } = {},
): SafeHtml {
  return html`<label${extra.className ? html` class="${extra.className}"` : ""}>${label} <input name="${name}"${extra.type ? html` type="${extra.type}"` : ""}${extra.list ? html` list="${extra.list}"` : ""} value="${value ?? ""}" placeholder="${placeholder}"></label>`;
}

/** The time fields both filter forms share: the same words parse the same way (parse-time.ts). */
export function timeFields(input: { since?: string | undefined; until?: string | undefined }) {
  return html`${textField("Since", "since", input.since, "2h, 7d or UTC time")}
  ${textField("Until", "until", input.until, "30m or UTC time")}`;
}

/** Filter and Clear, Clear going back to `clearHref`. */
export function filterActions(clearHref: string): SafeHtml {
  return html`<div class="filter-actions"><button class="button button-primary" type="submit">Filter</button><a class="button" href="${clearHref}">Clear</a></div>`;
}
