/**
 * `plan --html`: the plan for the person who approves it. Counts by kind and by section,
 * the money table with totals, then every domain with its changes (collapsible, the terminal's
 * `+ ~ -` and colours), a filter box, toggles for money and deletions, expand/collapse all.
 * `apply --html` renders the same page with the run's outcome: per domain and in total.
 */
import type { ApplyReport } from "../apply/applyPlan.js";
import { type DomainPlan, isDrift, isMoney, type Plan } from "../plan/model.js";
import { linePrice, moneySummary } from "../plan/planMoney.js";
import { changeLines, domainChangeLines, summaryLine } from "../plan/renderPlan.js";
import { moduleOf, sectionModules } from "../sections/index.js";
import { esc, page } from "./page.js";

const MARK: Record<DomainPlan["action"], string> = { create: "+", update: "~", delete: "-", none: " ", error: "!" };
const CLASS: Record<string, string> = { "+": "add", "~": "mod", "-": "del", "!": "err" };

const SCRIPT = `
const q = document.getElementById("filter"), money = document.getElementById("only-money"), dels = document.getElementById("only-deletions"), shown = document.getElementById("shown");
function apply() {
  const t = q.value.trim().toLowerCase(); let n = 0;
  for (const d of document.querySelectorAll("details.domain")) {
    const ok = (!t || d.dataset.text.includes(t)) && (!money.checked || d.dataset.money === "1") && (!dels.checked || d.dataset.deletes === "1");
    d.classList.toggle("hidden", !ok); if (ok) n++;
  }
  shown.textContent = String(n);
}
q.addEventListener("input", apply); money.addEventListener("change", apply); dels.addEventListener("change", apply); apply();
function openAll(open) { for (const d of document.querySelectorAll("details.domain:not(.hidden)")) d.open = open; }
document.getElementById("expand-all").addEventListener("click", () => openAll(true));
document.getElementById("collapse-all").addEventListener("click", () => openAll(false));
window.addEventListener("beforeprint", () => { for (const d of document.querySelectorAll("details.domain")) { d.dataset.wasOpen = d.open ? "1" : ""; d.open = true; } });
window.addEventListener("afterprint", () => { for (const d of document.querySelectorAll("details.domain")) d.open = d.dataset.wasOpen === "1"; });
`;

const OUTCOME_CLASS: Record<string, string> = { ok: "add", failed: "err", stale: "del", "not-started": "mod" };

/** The run's outcome above the plan it ran: counts, failures, money, stale. */
function outcomeSection(report: ApplyReport): string {
  const d = report.domains;
  const kinds: [string, number, string][] = [
    ["ok", d.ok, "add"],
    ["failed", d.failed, "err"],
    ["stale (refused)", d.stale, "del"],
    ["deferred", d.deferred, ""],
    ["unchanged", d.unchanged, ""],
    ["not started", d["not-started"], "mod"],
  ];
  const failures = report.failures.length
    ? `<table id="failures"><tr><th>domain</th><th>section</th><th>message</th></tr>${report.failures
        .map((f) => `<tr><td>${esc(f.domain)}</td><td>${esc(f.section)}</td><td>${esc(f.message)}</td></tr>`)
        .join("")}</table>`
    : "";
  const money = report.money.length
    ? `<table id="money-outcome"><tr><th>operation</th><th>domain</th><th class="n">years</th><th>outcome</th></tr>${report.money
        .map(
          (m) =>
            `<tr><td>${esc(m.section)}</td><td>${esc(m.domain)}</td><td class="n">${esc(m.years ?? "")}</td><td>${esc(m.outcome)}${m.reconciled ? " (reconciled)" : ""}</td></tr>`,
        )
        .join("")}</table>`
    : "";
  return `
<h2>Outcome</h2>
<p class="meta">Applied ${esc(report.startedAt)} to ${esc(report.finishedAt)}${report.interrupted ? " (interrupted)" : ""}; ${report.writes} write(s).</p>
<div class="cards" id="outcome">${kinds.map(([label, n, cls]) => `<div class="card"><b class="${cls}">${n}</b>${esc(label)}</div>`).join("")}</div>
${failures}${money}${report.stale.length ? `<p id="stale">Stale (refused, plan again): ${esc(report.stale.join(", "))}</p>` : ""}`;
}

export function renderPlanHtml(plan: Plan, outcome?: ApplyReport): string {
  const outcomes = new Map(outcome?.results.map((r) => [r.name, r.outcome]));
  const s = plan.summary;
  const shown = plan.domains.filter((d) => d.action === "error" || d.changes.some(isDrift));
  const bySection = new Map<string, number>();
  for (const d of shown)
    for (const c of d.changes.filter(isDrift))
      bySection.set(c.section, (bySection.get(c.section) ?? 0) + changeLines(c).length);
  const money = plan.domains.flatMap((d) => d.changes.filter(isMoney).map((c) => ({ d, c })));
  const card = (label: string, n: number, cls = "") =>
    `<div class="card"><b class="${cls}">${n}</b>${esc(label)}</div>`;

  const moneyRows = money
    .map(({ d, c }) => {
      const { before, after } = moduleOf(c).expiry?.(c) ?? { before: "", after: "" };
      const price = linePrice(plan.money, d.name, c.section);
      return `<tr><td>${esc(c.section)}</td><td>${esc(d.display)}</td><td class="n">${c.years}</td><td>${esc(before)}</td><td>${esc(after)}</td>${plan.money ? `<td class="n">${esc(price ?? "")}</td>` : ""}</tr>`;
    })
    .join("\n");
  const totals = sectionModules()
    .filter((m) => m.money)
    .map(({ name: k }) => {
      const rows = money.filter((m) => m.c.section === k);
      return `<tr><th>${k}</th><td class="n">${rows.length} domain(s)</td><td class="n">${rows.reduce((n, m) => n + m.c.years, 0)} year(s)</td><td colspan="${plan.money ? 3 : 2}"></td></tr>`;
    })
    .join("\n");

  const domains = shown
    .map((d) => {
      const lines =
        d.action === "error"
          ? [`! ${d.error ?? "error"}`]
          : d.changes
              .filter(isDrift)
              .flatMap((c) => domainChangeLines(d, c, undefined, linePrice(plan.money, d.name, c.section)));
      const notes = d.notes.map((n) => `note: ${n}`);
      const text = [d.display, d.name, ...lines, ...notes].join("\n").toLowerCase();
      const body = [
        ...lines.map((l) => `<span class="${CLASS[l[0]!] ?? ""}">${esc(l)}</span>`),
        ...notes.map((n) => `<span class="note">${esc(n)}</span>`),
      ].join("\n");
      const mark = MARK[d.action];
      const result = outcomes.get(d.name);
      const badge = result ? ` <span class="outcome ${OUTCOME_CLASS[result] ?? ""}">${esc(result)}</span>` : "";
      return (
        `<details class="domain"${result ? ` data-outcome="${esc(result)}"` : ""} data-money="${d.changes.some(isMoney) ? 1 : 0}" data-deletes="${lines.some((l) => l.startsWith("-")) ? 1 : 0}" data-text="${esc(text)}">` +
        `<summary><span class="${CLASS[mark] ?? ""}">${esc(mark)} ${esc(d.display)}</span>${d.display !== d.name ? ` <span class="note">(${esc(d.name)})</span>` : ""} <span class="note">${lines.length} change(s)</span>${badge}</summary>` +
        `<pre class="lines">${body}</pre></details>`
      );
    })
    .join("\n");

  const body = `
<h1>${outcome ? "regdom apply" : "regdom plan"}</h1>
<p class="meta">Planned ${esc(plan.createdAt)} against ${esc(plan.endpoint)}; manifest sha256 <code>${esc(plan.manifestDigest.slice(0, 12))}</code>.</p>${outcome ? outcomeSection(outcome) : ""}
<p id="summary"><b>${esc(summaryLine(plan))}</b></p>
<h2>Changes by kind</h2>
<div class="cards" id="kinds">${card("to create", s.create, "add")}${card("to update", s.update, "mod")}${card("to delete", s.delete, "del")}${card("unchanged", s.unchanged)}${card("with errors", s.errors, "err")}</div>
<h2>Changes by section</h2>
<table id="sections"><tr><th>section</th><th class="n">lines</th></tr>${[...bySection]
    .sort()
    .map(([k, n]) => `<tr><td>${esc(k)}</td><td class="n">${n}</td></tr>`)
    .join("")}</table>
<h2>Money</h2>
${
  money.length
    ? `<table id="money"><tr><th>operation</th><th>domain</th><th class="n">years</th><th>expiry before</th><th>expiry after</th>${plan.money ? `<th class="n">price</th>` : ""}</tr>${moneyRows}${totals}</table>${plan.money ? `\n<p id="money-total"><b>${esc(moneySummary(plan.money))}</b></p>` : ""}`
    : `<p id="money" class="note">No money is spent by this plan.</p>`
}
<h2>Domains (<span id="shown">${shown.length}</span> of ${shown.length} shown)</h2>
<div class="controls"><input type="search" id="filter" placeholder="filter by domain or text"><label><input type="checkbox" id="only-money"> only money</label><label><input type="checkbox" id="only-deletions"> only deletions</label><button type="button" id="expand-all">expand all</button><button type="button" id="collapse-all">collapse all</button></div>
${domains || `<p class="note">No changes.</p>`}
`;
  return page(outcome ? "regdom apply" : "regdom plan", body, SCRIPT);
}
