/**
 * `plan --format html`: the plan for the person who approves it. Counts by kind and by section,
 * the money table with totals, then every domain with its changes (collapsible, the terminal's
 * `+ ~ -` and colours), a filter box and toggles for money and deletions.
 */
import { type DomainPlan, isDrift, isMoney, type Plan } from "../plan/model.js";
import { linePrice, moneySummary } from "../plan/planMoney.js";
import { changeLines, domainChangeLines, summaryLine } from "../plan/renderPlan.js";
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
`;

export function renderPlanHtml(plan: Plan): string {
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
      const before = c.section === "renew" ? c.expiry : c.section === "register" ? "(none)" : "at the losing registrar";
      const after = c.section === "transfer" ? `that date + ${c.years} y` : c.expiryAfter;
      const price = linePrice(plan.money, d.name, c.section);
      return `<tr><td>${esc(c.section)}</td><td>${esc(d.display)}</td><td class="n">${c.years}</td><td>${esc(before)}</td><td>${esc(after)}</td>${plan.money ? `<td class="n">${esc(price ?? "")}</td>` : ""}</tr>`;
    })
    .join("\n");
  const totals = ["register", "transfer", "renew"]
    .map((k) => {
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
      return (
        `<details class="domain" data-money="${d.changes.some(isMoney) ? 1 : 0}" data-deletes="${lines.some((l) => l.startsWith("-")) ? 1 : 0}" data-text="${esc(text)}">` +
        `<summary><span class="${CLASS[mark] ?? ""}">${esc(mark)} ${esc(d.display)}</span>${d.display !== d.name ? ` <span class="note">(${esc(d.name)})</span>` : ""} <span class="note">${lines.length} change(s)</span></summary>` +
        `<pre class="lines">${body}</pre></details>`
      );
    })
    .join("\n");

  const body = `
<h1>regdom plan</h1>
<p class="meta">Planned ${esc(plan.createdAt)} against ${esc(plan.endpoint)}; manifest sha256 <code>${esc(plan.manifestDigest.slice(0, 12))}</code>.</p>
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
<div class="controls"><input type="search" id="filter" placeholder="filter by domain or text"><label><input type="checkbox" id="only-money"> only money</label><label><input type="checkbox" id="only-deletions"> only deletions</label></div>
${domains || `<p class="note">No changes.</p>`}
`;
  return page("regdom plan", body, SCRIPT);
}
