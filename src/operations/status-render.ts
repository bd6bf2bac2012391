/**
 * `npm run status` as text: a few aligned sections that fit the terminal's
 * width, one progress bar per activity. Pure: the same report and options
 * give the same text (times are shown relative to `report.collectedAt`).
 */
import type { ActivityStatus, ServerCount, StatusReport } from "./status.ts";

/** How to draw: the terminal's columns, and whether to use ANSI colours. */
export interface RenderOptions {
  width: number;
  color: boolean;
}

/** Bar characters; distinct without colour too. */
export const BAR = { delivered: "#", failed: "x", pending: "." } as const;

const ANSI = {
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  green: "\x1b[32m",
  red: "\x1b[31m",
  yellow: "\x1b[33m",
  reset: "\x1b[0m",
} as const;

/** The narrowest layout drawn; a narrower terminal wraps lines. */
const MIN_WIDTH = 40;

const number = (n: number) => n.toLocaleString("en-US");

export function renderStatus(report: StatusReport, options: RenderOptions): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width));
  const paint = (code: keyof typeof ANSI, text: string) =>
    options.color && text !== "" ? `${ANSI[code]}${text}${ANSI.reset}` : text;
  const stamp = `${report.collectedAt.toISOString().slice(0, 19).replace("T", " ")} UTC`;
  const lines: string[] = [`${paint("bold", "Loa status")} at ${stamp}`, ""];

  const { followers } = report;
  lines.push(
    `${paint("bold", "Followers")}  ${number(followers.total)} on ${number(followers.servers)} ` +
      (followers.servers === 1 ? "server" : "servers"),
  );
  lines.push(...serverLines(followers.top, width));
  const unnamed = followers.servers - followers.top.length;
  if (unnamed > 0)
    lines.push(`  … and ${number(unnamed)} more ${unnamed === 1 ? "server" : "servers"}`);

  lines.push("");
  const queue = report.queue;
  lines.push(
    `${paint("bold", "Queue")}      ` +
      (queue === null
        ? "(this queue cannot count its messages)"
        : `${number(queue.queued)} waiting` +
          (queue.ready === null || queue.delayed === null
            ? ""
            : `: ${number(queue.ready)} ready, ${number(queue.delayed)} delayed`)),
  );

  lines.push("");
  lines.push(paint("bold", "Latest activities"));
  if (report.activities.length === 0) lines.push("  (none recorded yet)");
  // One bar width for every activity, so that the bars line up.
  const countsWidth = Math.max(0, ...report.activities.map((a) => countsText(a).length));
  for (const activity of report.activities) {
    lines.push(...activityLines(activity, report.collectedAt, { width, countsWidth }, paint));
  }

  if (report.failingServers.length > 0) {
    lines.push("");
    lines.push(paint("bold", "Failing servers"));
    for (const { server, count } of report.failingServers.slice(0, 10)) {
      const suffix = ` in ${count} ${count === 1 ? "activity" : "activities"}`;
      lines.push(`  ${paint("red", cut(server, width - 2 - suffix.length))}${suffix}`);
    }
    const more = report.failingServers.length - 10;
    if (more > 0) lines.push(`  … and ${number(more)} more`);
  }
  return `${lines.join("\n")}\n`;
}

type Paint = (code: keyof typeof ANSI, text: string) => string;

function serverLines(top: readonly ServerCount[], width: number): string[] {
  if (top.length === 0) return [];
  const counts = top.map((s) => number(s.count));
  const countWidth = Math.max(...counts.map((c) => c.length));
  const nameWidth = Math.min(
    Math.max(...top.map((s) => columns(s.server))),
    width - 2 - 2 - countWidth,
  );
  return top.map(
    (s, i) =>
      `  ${cut(s.server, nameWidth).padEnd(nameWidth)}  ${(counts[i] ?? "").padStart(countWidth)}`,
  );
}

function countsText(a: ActivityStatus): string {
  return (
    `${number(a.delivered)} delivered · ${number(a.pending)} pending · ` +
    `${number(a.failed)} failed`
  );
}

function activityLines(
  a: ActivityStatus,
  now: Date,
  layout: { width: number; countsWidth: number },
  paint: Paint,
): string[] {
  const { width, countsWidth } = layout;
  const age = ago(now.getTime() - a.firstAt.getTime());
  const name = cut(displayName(a.activityId), width - 2 - 2 - age.length);
  const gap = " ".repeat(Math.max(2, width - 2 - columns(name) - age.length));
  const lines = [`  ${name}${gap}${paint("dim", age)}`];

  if (a.total === 0) {
    lines.push("  no deliveries (no followers then)");
  } else {
    const percent = `${Math.floor((a.delivered / a.total) * 100)}%`.padStart(4);
    const counts = countsText(a);
    // The bar takes what the counts leave, 10 to 50 characters; in a narrow
    // terminal the counts go to a line of their own.
    const beside = width - "  [] ".length - percent.length - 2 - countsWidth;
    const own = beside < 10;
    const barWidth = Math.min(50, own ? width - "  [] ".length - percent.length : beside);
    const parts = barParts(a, barWidth);
    const bar =
      paint("green", BAR.delivered.repeat(parts.delivered)) +
      paint("red", BAR.failed.repeat(parts.failed)) +
      paint("yellow", BAR.pending.repeat(parts.pending));
    if (own) lines.push(`  [${bar}] ${percent}`, `    ${counts}`);
    else lines.push(`  [${bar}] ${percent}  ${counts}`);
  }
  if (a.failingServers.length > 0) {
    lines.push(
      `    failing: ${listThatFits(a.failingServers, width - 4 - "failing: ".length, paint)}`,
    );
  }
  return lines;
}

/**
 * Splits `width` characters in proportion to delivered, failed and pending
 * (largest remainders get the leftover characters), keeping at least one
 * character for any failure so that it never disappears in rounding.
 */
export function barParts(
  a: Pick<ActivityStatus, "delivered" | "failed" | "pending">,
  width: number,
): { delivered: number; failed: number; pending: number } {
  const total = a.delivered + a.failed + a.pending;
  if (total === 0) return { delivered: 0, failed: 0, pending: width };
  const keys = ["delivered", "failed", "pending"] as const;
  const exact = {
    delivered: (a.delivered / total) * width,
    failed: (a.failed / total) * width,
    pending: (a.pending / total) * width,
  };
  const parts = {
    delivered: Math.floor(exact.delivered),
    failed: Math.floor(exact.failed),
    pending: Math.floor(exact.pending),
  };
  let left = width - parts.delivered - parts.failed - parts.pending;
  const byRemainder = [...keys].sort((x, y) => exact[y] - parts[y] - (exact[x] - parts[x]));
  for (const key of byRemainder) {
    if (left === 0) break;
    parts[key]++;
    left--;
  }
  if (a.failed > 0 && parts.failed === 0) {
    const biggest = parts.delivered >= parts.pending ? "delivered" : "pending";
    parts[biggest]--;
    parts.failed = 1;
  }
  return parts;
}

/** An activity id as a person reads it: its path after `/activities/`, decoded. */
export function displayName(activityId: string): string {
  const url = URL.parse(activityId);
  if (url === null) return activityId;
  const path = url.pathname.replace(/^\/activities\//, "");
  try {
    return decodeURIComponent(path) + url.hash;
  } catch {
    return path + url.hash;
  }
}

/** Characters as a terminal counts them (code points; the text is NFC). */
function columns(text: string): number {
  return [...text].length;
}

/** `text` in at most `width` characters, cut in the middle (the ends tell ids apart). */
export function cut(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return "…".slice(0, Math.max(0, width));
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join("")}…${tail > 0 ? chars.slice(-tail).join("") : ""}`;
}

/** As many names as fit in `width`, then how many more there are. */
function listThatFits(names: readonly string[], width: number, paint: Paint): string {
  const shown: string[] = [];
  let used = 0;
  for (const [i, name] of names.entries()) {
    const rest = names.length - i - 1;
    const more = rest > 0 ? `, +${rest} more`.length : 0;
    const needed = (shown.length > 0 ? 2 : 0) + columns(name);
    if (used + needed + more > width) {
      if (shown.length === 0) shown.push(cut(name, Math.max(8, width - more)));
      break;
    }
    shown.push(name);
    used += needed;
  }
  const hidden = names.length - shown.length;
  const list = shown.map((name) => paint("red", name)).join(", ");
  return hidden > 0 ? `${list}, +${hidden} more` : list;
}

function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
