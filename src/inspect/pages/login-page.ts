import { html } from "../html.ts";
import { layout } from "./layout.ts";

/** For browsers that are not on this machine: the token is posted once and kept as a cookie. */
export function loginPage(): string {
  const body = html`
<section class="card login">
  <h1>Sign in</h1>
  <p class="muted">These pages answer only on localhost unless you present <code>INSPECT_TOKEN</code>.</p>
  <form method="post" action="/inspect/login">
    <label>Inspect token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
    <button class="button button-primary" type="submit">Sign in</button>
  </form>
</section>`;
  return layout({ title: "Sign in", section: "login", body });
}
