/** Plans for people (text, markdown) and machines (JSON). */
import { createHash } from "node:crypto";
import { dnssecLine, isDnssecRisk } from "../dnssec/guard.js";
import { guardedChange, moduleOf } from "../sections/index.js";
import { type Change, type DomainPlan, deferredSections, isDrift, type Plan } from "./model.js";
import { type Paint, yrs } from "./paint.js";
import { linePrice, moneySummary } from "./planMoney.js";
import { escapeControls, markdownCodeSpan, markdownFence, markdownText } from "./shownText.js";

export type { Paint } from "./paint.js";

const plain: Paint = { green: (s) => s, red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

/** Paint that writes outside text's control characters as escapes before it colours a line. */
function escaping(paint: Paint): Paint {
  return {
    green: (s) => paint.green(escapeControls(s)),
    red: (s) => paint.red(escapeControls(s)),
    yellow: (s) => paint.yellow(escapeControls(s)),
    bold: (s) => paint.bold(escapeControls(s)),
    dim: (s) => paint.dim(escapeControls(s)),
  };
}

/**
 * One line per changed item: `+` added, `-` removed, `~` changed. Values are the registrar's as
 * much as the manifest's: their control characters are shown escaped, never acted on. `price` is a
 * money line's price ("99.00" or "price unknown"), shown beside its `[money]` mark.
 */
export function changeLines(c: Change, paint0: Paint = plain, price?: string): string[] {
  const paint = escaping(paint0);
  const money = price === undefined ? "[money]" : `[money: ${price}]`;
  return moduleOf(c).show(c, paint, money);
}

/**
 * A change's lines, and after the change the DNSSEC guard checks (nameservers, else glue moving them) its verdict: `!` and red when apply would
 * refuse it (would break, unknown), else indented like an assertion.
 */
export function domainChangeLines(d: DomainPlan, c: Change, paint0: Paint = plain, price?: string): string[] {
  const lines = changeLines(c, paint0, price);
  if (!d.dnssec || guardedChange(d)?.change !== c) return lines;
  const paint = escaping(paint0);
  const line = dnssecLine(d.dnssec);
  return [...lines, isDnssecRisk(d.dnssec) ? paint.red(`! ${line}`) : paint.dim(`  ${line}`)];
}

const MARK: Record<DomainPlan["action"], string> = { create: "+", update: "~", delete: "-", none: " ", error: "!" };

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  if (s.changed === 0 && s.errors === 0) {
    const waiting = plan.domains.filter((d) => deferredSections(d).length > 0).length;
    // Sections held back by a pending transfer are changes still to come, not "no changes".
    if (waiting)
      return `Plan: nothing to apply now; ${waiting} domain(s) have sections waiting for a transfer to complete.`;
    return "No changes.";
  }
  const money = s.register + s.transfer + s.renew;
  return (
    `Plan: ${s.changed} domain(s) to change (${s.create} to create, ${s.update} to update, ${s.delete} to delete), ${s.unchanged} unchanged` +
    `${s.errors ? `, ${s.errors} with errors` : ""}; money: ${s.register} register, ${s.transfer} transfer, ${s.renew} renew` +
    `${money ? ` (${yrs(s.years)} in total)` : ""}.`
  );
}

export function renderPlanText(plan: Plan, paint0: Paint = plain): string {
  const paint = escaping(paint0);
  const out: string[] = [];
  for (const d of plan.domains) {
    const drift = d.changes.some(isDrift);
    if (d.action === "error") {
      out.push(paint.red(`! ${d.display}: ${d.error}`));
      continue;
    }
    const deferred = deferredSections(d);
    if (!drift && deferred.length) {
      out.push(paint0.yellow(`~ ${escapeControls(d.display)}${d.display !== d.name ? paint.dim(` (${d.name})`) : ""}`));
      out.push(`    deferred until its transfer completes: ${deferred.join(", ")}`);
      continue;
    }
    if (!drift) {
      // A manifest asking for what this domain cannot have (a lock where none is offered) is told so.
      const warnings = d.notes.filter((n) => n.startsWith("warning:"));
      if (warnings.length)
        out.push(`  ${escapeControls(d.display)}`, ...warnings.map((n) => paint.dim(`    note: ${n}`)));
      continue;
    }
    const head = `${MARK[d.action]} ${escapeControls(d.display)}${d.display !== d.name ? paint.dim(` (${d.name})`) : ""}`;
    out.push(
      d.action === "create" ? paint0.green(head) : d.action === "delete" ? paint0.red(head) : paint0.yellow(head),
    );
    for (const c of d.changes)
      for (const line of domainChangeLines(d, c, paint0, linePrice(plan.money, d.name, c.section)))
        out.push(`    ${line}`);
    for (const n of d.notes) out.push(paint.dim(`    note: ${n}`));
  }
  if (out.length) out.push("");
  out.push(paint.bold(summaryLine(plan)));
  if (plan.money) out.push(moneySummary(plan.money));
  const waiting = plan.domains.filter((d) => d.waitingForTransfer).map((d) => d.display);
  if (waiting.length)
    out.push(
      paint.dim(`Waiting for a transfer to complete (\`regdom-bulk transfers\` follows them): ${waiting.join(", ")}`),
    );
  return `${out.join("\n")}\n`;
}

/**
 * The plan for a pull request. Values are data: each change is a code span in its table cell,
 * domain names are escaped text, and the full plan's fence is longer than any backtick run in it.
 */
export function renderPlanMarkdown(plan: Plan): string {
  const out = ["## regdom plan", "", `_${summaryLine(plan)}_`, ""];
  if (plan.money) out.push(moneySummary(plan.money), "");
  const changed = plan.domains.filter((d) => d.action === "error" || d.changes.some(isDrift));
  if (changed.length) {
    out.push("| | domain | changes |", "|---|---|---|");
    for (const d of changed) {
      const lines =
        d.action === "error"
          ? [`error: ${d.error}`]
          : d.changes
              .filter(isDrift)
              .flatMap((c) => domainChangeLines(d, c, plain, linePrice(plan.money, d.name, c.section)));
      out.push(`| ${MARK[d.action]} | ${markdownText(d.display)} | ${lines.map(markdownCodeSpan).join("<br>")} |`);
    }
    out.push("");
    const full: string[] = [];
    for (const d of changed) {
      full.push(`${MARK[d.action] === " " ? "~" : MARK[d.action]} ${escapeControls(d.display)}`);
      for (const c of d.changes)
        for (const l of domainChangeLines(d, c, plain, linePrice(plan.money, d.name, c.section)))
          full.push(`${l.startsWith("+") || l.startsWith("-") ? l[0] : " "}   ${l}`);
    }
    const fence = markdownFence(full);
    out.push("<details><summary>Full plan</summary>", "", `${fence}diff`, ...full, fence, "", "</details>", "");
  }
  out.push(
    `Planned ${plan.createdAt} against ${markdownText(plan.endpoint)}; manifest sha256 \`${plan.manifestDigest.slice(0, 12)}\`.`,
  );
  return `${out.join("\n")}\n`;
}

/** What stands for a transfer's auth code in a plan that is shown rather than saved. */
export const HIDDEN_AUTHCODE = "<hidden>";

/** The plan with every transfer auth code (in its changes and its desired state) replaced. */
function withAuthcodesHidden(plan: Plan): Plan {
  const hidden = <T extends { authcode?: string }>(o: T): T =>
    o.authcode === undefined ? o : { ...o, authcode: HIDDEN_AUTHCODE };
  return {
    ...plan,
    domains: plan.domains.map((d) => ({
      ...d,
      changes: d.changes.map((c) => moduleOf(c).shown?.(c, HIDDEN_AUTHCODE) ?? c),
      desired: d.desired.transfer ? { ...d.desired, transfer: hidden(d.desired.transfer) } : d.desired,
    })),
  };
}

/**
 * The plan as JSON, sealed with a checksum of its content so a hand-edited file is refused. The
 * saved file (`plan --out`, a run folder's plan.json; both 0600) keeps transfer auth codes, since
 * `apply --plan` sends them; a plan shown on stdout (`--format json`) hides them, as every other
 * format does, and cannot be applied (readPlanFile says to save it with `--out`).
 */
export function renderPlanJson(plan: Plan, opts: { shown?: boolean } = {}): string {
  const { checksum: _old, ...content } = opts.shown ? withAuthcodesHidden(plan) : plan;
  return `${JSON.stringify({ ...content, checksum: planChecksum(content) }, null, 2)}\n`;
}

/** sha256 of a plan's content (everything but the checksum), in the order its keys were written. */
export function planChecksum(content: object): string {
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}
