import { html, type SafeHtml } from "../html.ts";

export interface LayoutOptions {
  title: string;
  /** Which item of the navigation is current. */
  section: "deliveries" | "rejections" | "login";
  body: SafeHtml;
}

/** The frame of every page: styles and script come from files (the CSP forbids inline ones). */
export function layout({ title, section, body }: LayoutOptions): string {
  const nav = (name: LayoutOptions["section"], href: string, label: string) =>
    html`<a href="${href}" class="nav-link${name === section ? " is-current" : ""}">${label}</a>`;
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · webhook-inbox</title>
<link rel="stylesheet" href="/inspect/assets/inspect.css">
<link rel="icon" href="/inspect/assets/favicon.svg" type="image/svg+xml">
<script src="/inspect/assets/inspect.js" defer></script>
</head>
<body>
<header class="topbar">
  <a class="brand" href="/inspect"><span class="brand-mark">⇣</span> webhook-inbox</a>
  <nav>${nav("deliveries", "/inspect", "Deliveries")}${nav("rejections", "/inspect/rejections", "Rejected requests")}</nav>
</header>
<main>${body}</main>
</body>
</html>`}`;
}
