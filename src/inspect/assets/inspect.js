// webhook-inbox inspect pages: live list, replay buttons, copy button. Served as a file: the
// Content-Security-Policy allows no inline script and no eval. Every value that comes from a
// delivery is set with textContent, or is HTML the server escaped with the page's own template.

const POLL_MS = 1500;
/** Counts are capped index scans, but there are seven: refresh them less often than the rows. */
const COUNTS_EVERY_MS = 5000;
const MAX_ROWS = 200;
const STATUSES = ["pending", "processing", "done", "dead", "unhandled", "invalid", "malformed"];
const SETTLED = (status) => status !== "pending" && status !== "processing";

function post(url) {
  return fetch(url, { method: "POST", headers: { "x-inspect-request": "1" } }).then(async (res) => {
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message || `HTTP ${res.status}`);
    return body;
  });
}

function say(text) {
  const result = document.getElementById("action-result");
  if (result) result.textContent = text;
}

/** "1,234", or "10,000+" for a figure the server only counted up to its cap (format-count.ts). */
function formatCount(n, capped) {
  return `${n.toLocaleString("en-US")}${capped ? "+" : ""}`;
}

const RELATIVE_STEPS = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["min", 60_000],
  ["s", 1_000],
];
/** Refreshing "2 min ago" more often than this would change nothing a reader needs. */
const RELATIVE_EVERY_MS = 30_000;

/** "2 min ago", "in 4 min": the same text as the server's format-relative-time.ts. */
function formatRelativeTime(date, now) {
  const differenceMs = date.getTime() - now.getTime();
  const distanceMs = Math.abs(differenceMs);
  if (distanceMs < 5_000) return differenceMs > 0 ? "in a moment" : "just now";
  const [unit, ms] = RELATIVE_STEPS.find(([, stepMs]) => distanceMs >= stepMs) ?? ["s", 1_000];
  const amount = `${Math.floor(distanceMs / ms)} ${unit}`;
  return differenceMs > 0 ? `in ${amount}` : `${amount} ago`;
}

function refreshRelativeTimes() {
  const now = new Date();
  for (const element of document.querySelectorAll("time[data-relative]")) {
    const date = new Date(element.getAttribute("datetime"));
    if (!Number.isNaN(date.getTime())) element.textContent = formatRelativeTime(date, now);
  }
}

function setStatus(cell, status) {
  const pill = cell?.querySelector("[data-status-pill]");
  if (!pill || !STATUSES.includes(status)) return;
  pill.className = `pill pill-${status}`;
  pill.textContent = status;
}

/** The deliveries table: rows newer than the newest shown are fetched and put on top. */
function startLiveList(table) {
  const tbody = table.tBodies[0];
  const live = document.getElementById("live-state");
  const query = new URLSearchParams(table.dataset.query.replace(/^\?/, ""));
  let newestId = Number(table.dataset.newestId) || 0;
  let countsAt = Date.now();

  async function poll() {
    if (document.hidden) return;
    const params = new URLSearchParams(query);
    params.set("after", String(newestId));
    const ids = [...tbody.rows]
      .filter((row) => !SETTLED(row.querySelector("[data-status-pill]")?.textContent ?? ""))
      .map((row) => row.dataset.id);
    params.set("ids", ids.slice(0, 200).join(","));
    const wantCounts = Date.now() - countsAt >= COUNTS_EVERY_MS;
    if (wantCounts) params.set("counts", "1");
    const res = await fetch(`/inspect/api/updates?${params}`, {
      headers: { accept: "application/json" },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const update = await res.json();
    if (update.deliveries.length > 0) addRows(update);
    // Rows up to here were looked at, matching or not: the next poll starts after them.
    newestId = Math.max(newestId, Number(update.seenThroughId) || 0);
    for (const change of update.statuses) {
      const row = tbody.querySelector(`tr[data-id="${Number(change.id)}"]`);
      if (!row) continue;
      const before = row.querySelector("[data-status-pill]")?.textContent;
      // A status that moved changes the counts too: refresh them at the next poll.
      if (before !== change.status) countsAt = 0;
      setStatus(row.querySelector('[data-cell="status"]'), change.status);
      row.querySelector('[data-cell="attempts"]').textContent = String(change.attemptCount);
      const error = row.querySelector('[data-cell="error"]');
      error.textContent = change.lastError ?? "";
      error.title = change.lastError ?? "";
    }
    if (update.counts) {
      countsAt = Date.now();
      showCounts(update.counts);
    }
  }

  function showCounts({ counts, capped }) {
    let total = 0;
    for (const status of STATUSES) {
      const n = Number(counts[status]) || 0;
      total += n;
      const cell = document.querySelector(`[data-count="${status}"]`);
      if (cell) cell.textContent = formatCount(n, capped.includes(status));
    }
    const all = document.querySelector('[data-count="all"]');
    if (all) all.textContent = formatCount(total, capped.length > 0);
  }

  function addRows(update) {
    const template = document.createElement("template");
    // Server-rendered rows: the same escaped template as the rest of the page.
    template.innerHTML = update.rowsHtml;
    const rows = [...template.content.querySelectorAll("tr")];
    for (const row of rows) row.classList.add("is-new");
    tbody.prepend(...rows);
    newestId = Math.max(newestId, ...update.deliveries.map((delivery) => Number(delivery.id)));
    while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(-1);
    document.getElementById("empty")?.remove();
    // New rows change the counts: do not wait for the next scheduled refresh.
    countsAt = 0;
  }

  async function loop() {
    try {
      await poll();
      live?.classList.remove("is-stale");
      if (live) live.textContent = "live";
    } catch {
      live?.classList.add("is-stale");
      if (live) live.textContent = "reconnecting…";
    }
    setTimeout(loop, POLL_MS);
  }
  setTimeout(loop, POLL_MS);
}

function startReplayMatching(button) {
  button.addEventListener("click", async () => {
    if (!window.confirm("Replay every delivery that matches these filters?")) return;
    button.disabled = true;
    try {
      const result = await post(`/inspect/api/replay${button.dataset.query}`);
      const skipped = Object.entries(result.skipped)
        .map(([status, n]) => `${n} ${status}`)
        .join(", ");
      say(`Replayed ${result.replayed}.${skipped ? ` Left alone: ${skipped}.` : ""}`);
    } catch (error) {
      say(`Not replayed. ${error.message}`);
    } finally {
      button.disabled = false;
    }
  });
}

/** One delivery: replay it, follow it until the worker has made an attempt, then show it. */
function startReplayOne(button) {
  const id = Number(button.dataset.id);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      // Read before the replay: a settled delivery has no worker on it, so the count is final.
      const before = await fetchDelivery(id);
      await post(`/inspect/api/deliveries/${id}/replay`);
      say("Replaying…");
      setStatus(document.querySelector('#delivery [data-cell="status"]'), "pending");
      await waitForAttempt(id, before?.attemptCount ?? 0);
      window.location.reload();
    } catch (error) {
      say(`Not replayed. ${error.message}`);
      button.disabled = false;
    }
  });
}

/** A delivery waiting out its backoff: make it due now, follow it until the attempt is over. */
function startRetryNow(button) {
  const id = Number(button.dataset.id);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const { attemptCount } = await post(`/inspect/api/deliveries/${id}/retry-now`);
      say("Retrying now…");
      await waitForAttempt(id, attemptCount);
      window.location.reload();
    } catch (error) {
      say(`Not retried. ${error.message}`);
      button.disabled = false;
    }
  });
}

/** "Copy as curl": a command signed now for the URL typed; asked for again before each copy. */
function startCurl(form) {
  const id = Number(form.dataset.id);
  const url = document.getElementById("curl-url");
  const newId = document.getElementById("curl-new-id");
  const note = document.getElementById("curl-note");
  const command = document.getElementById("curl");
  let typing;
  async function refresh() {
    const params = new URLSearchParams({ url: url.value });
    if (newId?.checked) params.set("newId", "1");
    const res = await fetch(`/inspect/api/deliveries/${id}/curl?${params}`);
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      note.textContent = body.message || `HTTP ${res.status}`;
      note.classList.add("error");
      return false;
    }
    note.classList.remove("error");
    note.textContent = body.note;
    command.textContent = body.command;
    return true;
  }
  url.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(refresh, 300);
  });
  newId?.addEventListener("change", refresh);
  return refresh;
}

async function fetchDelivery(id) {
  const res = await fetch(`/inspect/api/deliveries/${id}`);
  return res.ok ? (await res.json()).delivery : undefined;
}

/**
 * Follows a delivery until an attempt after the first `attemptsBefore` is over, for a minute at
 * most. Not until it settles: an attempt that fails again puts it back to pending with a new
 * backoff, which may be hours away.
 */
async function waitForAttempt(id, attemptsBefore) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const delivery = await fetchDelivery(id);
    if (!delivery) continue;
    setStatus(document.querySelector('#delivery [data-cell="status"]'), delivery.status);
    // The worker counts an attempt when it claims the delivery, so "processing" is not over yet.
    if (delivery.attemptCount > attemptsBefore && delivery.status !== "processing") return;
  }
}

/** Copy buttons; `before` (by target id) refreshes the text first, e.g. to sign a command again. */
function startCopyButtons(before) {
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      await before[button.dataset.copy]?.().catch(() => false);
      const text = document.getElementById(button.dataset.copy)?.textContent ?? "";
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = "Copied";
      } catch {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById(button.dataset.copy));
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
        button.textContent = "Selected: press Ctrl+C";
      }
      setTimeout(() => {
        button.textContent = "Copy";
      }, 1500);
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector("table[data-live]");
  if (table) startLiveList(table);
  const replayMatching = document.getElementById("replay-matching");
  if (replayMatching) startReplayMatching(replayMatching);
  const replay = document.getElementById("replay");
  if (replay) startReplayOne(replay);
  const retryNow = document.getElementById("retry-now");
  if (retryNow) startRetryNow(retryNow);
  const curlForm = document.getElementById("curl-form");
  startCopyButtons(curlForm ? { curl: startCurl(curlForm) } : {});
  setInterval(refreshRelativeTimes, RELATIVE_EVERY_MS);
});
