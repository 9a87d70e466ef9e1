/**
 * `regdom-export --report`: a picture of a whole portfolio, from the reads the export made (no
 * request of its own): the expiry timeline for 24 months and what expires within 90 days, the
 * nameserver sets, lock status, registrant countries, zones by size, forwardings, failures, and
 * every domain in one sortable, filterable table.
 */
import type { DesiredDomain, Manifest } from "@regdom/manifest";
import { esc, page } from "./page.js";

export interface ReportInput {
  manifest: Manifest;
  failed: { domain: string; message: string }[];
  endpoint: string;
  time: Date;
}

/** How many items fall in each bucket: most first, or in `order` (buckets with a natural order). */
function count<T>(
  items: T[],
  key: (x: T) => string | undefined,
  order?: (a: string, b: string) => number,
): [string, number][] {
  const m = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m].sort(order ? (a, b) => order(a[0], b[0]) : (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

const ZONE_BUCKETS = ["empty", "1–5 records", "6–10 records", "11–20 records", "over 20 records"];

/** Sorting and filtering the table of every domain; allowed by its hash in the page's policy. */
const SCRIPT = `
const table = document.getElementById("all-domains"), body = table.tBodies[0], q = document.getElementById("domain-filter"), shown = document.getElementById("domains-shown");
function filter() {
  const t = q.value.trim().toLowerCase(); let n = 0;
  for (const r of body.rows) { const ok = !t || r.dataset.text.includes(t); r.classList.toggle("hidden", !ok); if (ok) n++; }
  shown.textContent = String(n);
}
q.addEventListener("input", filter);
for (const th of table.tHead.rows[0].cells) th.addEventListener("click", () => {
  const i = th.cellIndex, num = th.classList.contains("n"), dir = th.dataset.dir === "asc" ? "desc" : "asc";
  for (const o of table.tHead.rows[0].cells) { o.removeAttribute("data-dir"); o.removeAttribute("aria-sort"); }
  th.dataset.dir = dir; th.setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
  const key = (r) => { const v = r.cells[i].dataset.v ?? r.cells[i].textContent; return num ? (v === "" ? Infinity : Number(v)) : v; };
  const rows = [...body.rows].sort((a, b) => { const x = key(a), y = key(b); const c = x < y ? -1 : x > y ? 1 : 0; return dir === "asc" ? c : -c; });
  body.append(...rows);
});
`;

const DAY = 86_400_000;
const daysLeft = (expires: string, now: Date) =>
  Math.round((Date.parse(expires) - Date.parse(now.toISOString().slice(0, 10))) / DAY);

/** Every domain, one row each: what an ops engineer looks a domain up by. */
function domainTable(domains: DesiredDomain[], now: Date): string {
  const yesNo = (v: boolean | undefined, yes: string, no: string) => (v === undefined ? "" : v ? yes : no);
  const rows = [...domains]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((d) => {
      const expires = d.info?.expires ?? "";
      const left = expires ? daysLeft(expires, now) : undefined;
      const ns = d.nameservers ? d.nameservers.join(", ") : "";
      const cells = [
        `<td>${esc(d.display)}</td>`,
        `<td>${esc(expires)}</td>`,
        `<td class="n" data-v="${left ?? ""}">${left ?? ""}</td>`,
        `<td>${esc(ns)}</td>`,
        `<td>${yesNo(d.lock, "locked", "unlocked")}</td>`,
        `<td>${yesNo(d.autorenew, "on", "off")}</td>`,
        `<td class="n" data-v="${d.dns?.length ?? ""}">${d.dns?.length ?? ""}</td>`,
        `<td class="n" data-v="${d.forwarding?.length ?? ""}">${d.forwarding?.length ?? ""}</td>`,
      ];
      const text = [d.display, d.name, expires, ns, d.info?.status ?? ""].join(" ").toLowerCase();
      return `<tr data-text="${esc(text)}">${cells.join("")}</tr>`;
    })
    .join("\n");
  const head = ["domain", "expiry", "days left", "nameservers", "lock", "autorenew", "records", "forwardings"]
    .map((h, i) => `<th${[2, 6, 7].includes(i) ? ` class="n"` : ""}>${h}</th>`)
    .join("");
  return `<div class="controls"><input type="search" id="domain-filter" placeholder="filter by domain, nameserver, expiry"><span><span id="domains-shown">${domains.length}</span> of ${domains.length} shown; click a column to sort</span></div>
<table id="all-domains" class="sortable"><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>`;
}

function table(id: string, head: [string, string], rows: [string, number][]): string {
  if (rows.length === 0) return `<p id="${id}" class="note">Nothing read.</p>`;
  return `<table id="${id}"><tr><th>${esc(head[0])}</th><th class="n">${esc(head[1])}</th></tr>${rows
    .map(([k, n]) => `<tr><td>${esc(k)}</td><td class="n">${n}</td></tr>`)
    .join("")}</table>`;
}

const month = (d: Date) => d.toISOString().slice(0, 7);

/** 24 monthly bars as an inline SVG, labelled with the month and the count. */
function timeline(domains: DesiredDomain[], now: Date): string {
  const months: string[] = [];
  for (let i = 0; i < 24; i++) months.push(month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1))));
  const per = new Map(months.map((m) => [m, 0]));
  for (const d of domains) {
    const m = d.info?.expires?.slice(0, 7);
    if (m && per.has(m)) per.set(m, per.get(m)! + 1);
  }
  const max = Math.max(1, ...per.values());
  const w = 44;
  const h = 120;
  const bars = months
    .map((m, i) => {
      const n = per.get(m)!;
      const bh = Math.round((n / max) * h);
      return (
        `<g><rect class="bar" x="${i * w + 4}" y="${h - bh + 14}" width="${w - 8}" height="${bh}"><title>${m}: ${n}</title></rect>` +
        `<text x="${i * w + w / 2}" y="${h - bh + 10}" text-anchor="middle">${n || ""}</text>` +
        `<text x="${i * w + w / 2}" y="${h + 28}" text-anchor="middle">${m}</text></g>`
      );
    })
    .join("");
  return `<svg id="timeline" role="img" aria-label="domains expiring per month" width="100%" style="max-width:${months.length * w}px" viewBox="0 0 ${months.length * w} ${h + 36}">${bars}</svg>`;
}

function within(domains: DesiredDomain[], now: Date, days: number): DesiredDomain[] {
  const today = now.toISOString().slice(0, 10);
  const until = new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  return domains
    .filter((d) => d.info?.expires && d.info.expires >= today && d.info.expires <= until)
    .sort((a, b) => (a.info!.expires! < b.info!.expires! ? -1 : 1));
}

export function renderReportHtml(r: ReportInput): string {
  const domains = [...r.manifest.domains.values()];
  const withExpiry = domains.filter((d) => d.info?.expires);
  // One table of what expires within 90 days, with the days left; the 30/60/90 counts above it.
  const soon = within(domains, r.time, 90);
  const counts = [30, 60, 90]
    .map(
      (days) =>
        `<div class="card"><b id="within-${days}">${within(domains, r.time, days).length}</b>within ${days} days</div>`,
    )
    .join("");
  const lists = `<div class="cards">${counts}</div>${
    soon.length
      ? `<table id="expiring"><tr><th>expiry</th><th class="n">days left</th><th>domain</th></tr>${soon
          .map(
            (d) =>
              `<tr><td>${esc(d.info!.expires)}</td><td class="n">${daysLeft(d.info!.expires!, r.time)}</td><td>${esc(d.display)}</td></tr>`,
          )
          .join("")}</table>`
      : `<p id="expiring" class="note">Nothing expires within 90 days.</p>`
  }`;
  const zoneSize = (d: DesiredDomain) => {
    if (!d.dns) return undefined;
    const n = d.dns.length;
    return n === 0
      ? "empty"
      : n <= 5
        ? "1–5 records"
        : n <= 10
          ? "6–10 records"
          : n <= 20
            ? "11–20 records"
            : "over 20 records";
  };
  const body = `
<h1>regdom portfolio report</h1>
<p class="meta">Read ${esc(r.time.toISOString())} from ${esc(r.endpoint)}: <span id="domain-count">${domains.length}</span> domain(s) read, <span id="failed-count">${r.failed.length}</span> failed.</p>
<h2>Expiry: the next 24 months</h2>
${withExpiry.length ? timeline(domains, r.time) : `<p class="note">No expiry dates were read: export with --with-status to see them.</p>`}
${withExpiry.length ? lists : ""}
<h2>Nameserver sets</h2>
${table(
  "nameserver-sets",
  ["nameservers", "domains"],
  count(domains, (d) => (d.nameservers ? [...d.nameservers].sort().join(", ") || "(none)" : undefined)),
)}
${dnssecSection(domains)}
<h2>Lock status</h2>
${table(
  "locks",
  ["lock", "domains"],
  count(domains, (d) => (d.lock === undefined ? undefined : d.lock ? "locked" : "unlocked")),
)}
<h2>Registrant countries</h2>
${table(
  "countries",
  ["country", "domains"],
  count(domains, (d) => (d.registrant ? (d.registrant.country ?? "(none)") : undefined)),
)}
<h2>Zones by size</h2>
${table(
  "zones",
  ["zone", "domains"],
  count(domains, zoneSize, (a, b) => ZONE_BUCKETS.indexOf(a) - ZONE_BUCKETS.indexOf(b)),
)}
<h2>Forwardings</h2>
${table(
  "forwardings",
  ["forwardings", "domains"],
  count(
    domains,
    (d) => (d.forwarding ? String(d.forwarding.length) : undefined),
    (a, b) => Number(a) - Number(b),
  ),
)}
<h2>Domains that could not be read</h2>
${
  r.failed.length
    ? `<table id="failed"><tr><th>domain</th><th>message</th></tr>${r.failed.map((f) => `<tr><td>${esc(f.domain)}</td><td>${esc(f.message)}</td></tr>`).join("")}</table>`
    : `<p id="failed" class="note">None: every domain was read.</p>`
}
<h2>Every domain (${domains.length})</h2>
${domainTable(domains, r.time)}
`;
  return page("regdom portfolio report", body, SCRIPT);
}

/** With --with-dnssec: how many are signed, and those whose nameservers answer no matching DNSKEY now. */
function dnssecSection(domains: { display: string; info?: { dnssec?: string } }[]): string {
  const read = domains.filter((d) => d.info?.dnssec);
  if (!read.length) return "";
  const state = (d: (typeof read)[number]) => d.info!.dnssec!;
  const signed = read.filter((d) => /^(signed|broken) /.test(state(d)));
  const broken = read.filter((d) => state(d).startsWith("broken "));
  const unknown = read.filter((d) => state(d).startsWith("unknown"));
  const list = (id: string, l: typeof read) =>
    `<table id="${id}"><tr><th>domain</th><th>DNSSEC</th></tr>${l.map((d) => `<tr><td class="err">${esc(d.display)}</td><td>${esc(state(d))}</td></tr>`).join("")}</table>`;
  return `<h2>DNSSEC</h2>
<p id="dnssec-counts"><span id="signed-count">${signed.length}</span> of ${read.length} domain(s) signed; <span id="broken-count">${broken.length}</span> broken today (their nameservers answer no DNSKEY matching the DS: not by this run)${unknown.length ? `; ${unknown.length} unknown` : ""}.</p>
${broken.length ? list("dnssec-broken", broken) : ""}${unknown.length ? list("dnssec-unknown", unknown) : ""}`;
}
