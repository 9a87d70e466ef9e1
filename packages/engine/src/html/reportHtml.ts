/**
 * `regdom-export --report`: a picture of a whole portfolio, from the reads the export made (no
 * request of its own): the expiry timeline for 24 months and the 30/60/90-day lists, the
 * nameserver sets, lock status, registrant countries, zones by size, forwardings, and failures.
 */
import type { DesiredDomain, Manifest } from "@regdom/manifest";
import { esc, page } from "./page.js";

export interface ReportInput {
  manifest: Manifest;
  failed: { domain: string; message: string }[];
  endpoint: string;
  time: Date;
}

function count<T>(items: T[], key: (x: T) => string | undefined): [string, number][] {
  const m = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
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
  const w = 32;
  const h = 120;
  const bars = months
    .map((m, i) => {
      const n = per.get(m)!;
      const bh = Math.round((n / max) * h);
      return (
        `<g><rect class="bar" x="${i * w + 4}" y="${h - bh + 14}" width="${w - 8}" height="${bh}"><title>${m}: ${n}</title></rect>` +
        `<text x="${i * w + w / 2}" y="${h - bh + 10}" text-anchor="middle">${n || ""}</text>` +
        `<text x="${i * w + w / 2}" y="${h + 28}" text-anchor="middle">${m.slice(2)}</text></g>`
      );
    })
    .join("");
  return `<svg id="timeline" role="img" aria-label="domains expiring per month" width="${months.length * w}" height="${h + 36}" viewBox="0 0 ${months.length * w} ${h + 36}">${bars}</svg>`;
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
  const lists = [30, 60, 90]
    .map((days) => {
      const l = within(domains, r.time, days);
      return `<h3>Within ${days} days (<span id="within-${days}">${l.length}</span>)</h3>${
        l.length
          ? `<ul>${l.map((d) => `<li>${esc(d.info!.expires)} ${esc(d.display)}</li>`).join("")}</ul>`
          : `<p class="note">None.</p>`
      }`;
    })
    .join("\n");
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
${table("zones", ["zone", "domains"], count(domains, zoneSize))}
<h2>Forwardings</h2>
${table(
  "forwardings",
  ["forwardings", "domains"],
  count(domains, (d) => (d.forwarding ? String(d.forwarding.length) : undefined)),
)}
<h2>Domains that could not be read</h2>
${
  r.failed.length
    ? `<table id="failed"><tr><th>domain</th><th>message</th></tr>${r.failed.map((f) => `<tr><td>${esc(f.domain)}</td><td>${esc(f.message)}</td></tr>`).join("")}</table>`
    : `<p id="failed" class="note">None: every domain was read.</p>`
}
`;
  return page("regdom portfolio report", body);
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
