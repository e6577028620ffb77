import type {
  DeliveryDetail,
  DeliveryFilter,
  DeliverySummary,
  PruneResult,
  StatusCounts,
  StoredArrival,
} from "../../inbox/inspect-store.ts";
import { formatCount } from "../format-count.ts";
import { formatTime } from "../parse-time.ts";

/** A plain-text table, columns padded to their widest cell. */
export function formatTable(rows: readonly DeliverySummary[]): string[] {
  const cells = [
    ["ID", "RECEIVED (UTC)", "SOURCE", "EVENT TYPE", "STATUS", "TRIES", "ENTITY UID"],
    ...rows.map((row) => [
      String(row.id),
      formatTime(row.receivedAt).replace(" UTC", ""),
      row.source,
      row.eventType ?? "-",
      row.status,
      String(row.attemptCount),
      row.entityUid ?? "-",
    ]),
  ];
  const widths =
    cells[0]?.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length))) ?? [];
  return cells.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

/** "done 10,000+ · dead 12": the statuses that have any, capped ones marked as floors. */
export function formatCounts({ counts, capped }: StatusCounts): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(
      ([status, n]) =>
        `${status} ${formatCount(
          n,
          capped.some((s) => s === status),
        )}`,
    )
    .join(" · ");
}

/**
 * The line under a page: the rows shown, then the counts per status and what they count. The
 * counts leave `--status` aside (they are what the other statuses would show), which beside
 * "0 shown" must be said, or it reads as a contradiction.
 */
export function formatListSummary(
  shown: number,
  { status, ...others }: DeliveryFilter,
  counts: StatusCounts,
): string {
  const perStatus = formatCounts(counts) || "none";
  const filtered = Object.keys(others).length > 0;
  if (status === undefined) {
    return `${shown} shown · all ${filtered ? "matching" : "stored"}, by status: ${perStatus}`;
  }
  const scope = filtered ? "matching the other filters" : "stored";
  return `${shown} shown (--status ${status}) · ${scope}, by status: ${perStatus}`;
}

/** `1 delivery`, `2 deliveries`. */
export function countOf(n: number, singular: string, plural: string): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

export function formatDetail({
  delivery,
  attempts,
  snapshot,
  replayable,
  arrivals,
  arrivalsNotListed,
}: DeliveryDetail): string[] {
  const lines = [
    `Delivery #${delivery.id}  ${delivery.source} ${delivery.eventType ?? "(no event type)"}  [${delivery.status}]`,
    `  received    ${formatTime(delivery.receivedAt)}  ${delivery.method} ${delivery.path}`,
    `  event id    ${delivery.idempotencyKey ?? "-"}`,
    `  entity uid  ${delivery.entityUid ?? "-"} (${delivery.payloadMode ?? "-"} payload)`,
    `  auth        ${delivery.authMethod === "none" ? "not verified (auth was none)" : `verified at receipt: ${delivery.authMethod}, matched ${delivery.authKey ?? "-"}`}`,
    `  replay      ${replayable.ok ? `npm run events -- replay ${delivery.id}` : `not possible. ${replayable.reason}`}`,
  ];
  if (delivery.lastError) lines.push(`  last error  ${delivery.lastError}`);
  if (delivery.issues?.length) {
    lines.push(
      "",
      "Parse issues:",
      ...delivery.issues.map((issue) => `  ${issue.path || "(root)"}: ${issue.message}`),
    );
  }
  lines.push("", "Headers (secrets redacted at receipt):");
  for (const [name, value] of Object.entries(delivery.headers)) lines.push(`  ${name}: ${value}`);
  lines.push("", "Body:", indent(prettyBody(delivery.body)));
  lines.push(
    "",
    "Answered at receipt:",
    delivery.answer
      ? `  ${delivery.answer.statusCode} ${delivery.answer.body}`
      : "  not kept (stored before answers were kept)",
  );
  lines.push(...formatArrivals(arrivals, arrivalsNotListed));
  lines.push("", `Attempts (${attempts.length}):`);
  for (const attempt of attempts) {
    const took = attempt.endedAt
      ? `${attempt.endedAt.getTime() - attempt.startedAt.getTime()} ms`
      : "running";
    lines.push(
      `  #${attempt.number} ${attempt.trigger.padEnd(7)} ${formatTime(attempt.startedAt)}  ${(attempt.outcome ?? "-").padEnd(9)} ${took}${attempt.error ? `  ${attempt.error}` : ""}`,
    );
  }
  if (snapshot) {
    lines.push(
      "",
      `Conversation snapshot (${snapshot.origin}, last changed ${formatTime(snapshot.lastChanged)}):`,
    );
    lines.push(indent(JSON.stringify(snapshot.conversation, null, 2)));
  }
  return lines;
}

/** One line per request that brought it: the first, then its duplicates, oldest first. */
function formatArrivals(arrivals: readonly StoredArrival[], notListed: number): string[] {
  const total = arrivals.length + notListed;
  const lines = [
    "",
    `Arrivals (${total}${total > 1 ? `: ${total - 1} duplicate${total > 2 ? "s" : ""}` : ""}):`,
  ];
  arrivals.forEach((arrival, index) => {
    const answered = arrival.statusCode === null ? "-" : String(arrival.statusCode);
    lines.push(
      `  ${(index === 0 ? "first" : "duplicate").padEnd(9)} ${formatTime(arrival.receivedAt)}  answered ${answered}  sender attempt ${arrival.senderAttempt ?? "-"}  request ${arrival.requestId ?? "-"}`,
    );
    if (index === 0 && notListed > 0) lines.push(`  … ${notListed} older duplicates not listed`);
  });
  return lines;
}

export function formatPrune(result: PruneResult): string {
  const verb = result.dryRun ? "Would delete" : "Deleted";
  return `${verb} ${countOf(result.deliveries, "delivery", "deliveries")} received before ${formatTime(result.cutoff)} (with ${countOf(result.attempts, "attempt", "attempts")}), ${countOf(result.snapshots, "unreferenced snapshot", "unreferenced snapshots")} and ${countOf(result.rejections, "rejection", "rejections")}.`;
}

function prettyBody(body: Buffer): string {
  const text = body.toString("utf8");
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
