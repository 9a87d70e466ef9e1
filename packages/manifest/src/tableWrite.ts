/**
 * A manifest as the table kinds (domains, dns, forwarding, …): one header and its rows each, with
 * cells typed by what they mean (flags as booleans, priority and years as numbers, everything else
 * as text), so the CSV writer can print them and the XLSX writer can keep their types.
 */
import { OWNER_FIELDS, REGISTRANT_FIELDS } from "@regdom/core/data";
import type { DesiredDomain, Manifest, PurchaseExtras } from "./model.js";
import { sortedDomains, sortedOwnerNames } from "./order.js";
import { TABLE_KINDS, type TableKind } from "./tableRead.js";

/** A cell: text ("" is empty), a flag, a number, or nothing. */
export type TableCell = string | boolean | number | undefined;

export interface Table {
  kind: TableKind;
  header: string[];
  rows: TableCell[][];
}

/** The cells of admin, domainfields (`key=value; …`) and the three flags. */
function extrasCells(x: PurchaseExtras): TableCell[] {
  return [
    x.admin ?? "",
    Object.entries(x.domainfields ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("; "),
    x.idprotection,
    x.dnsmanagement,
    x.emailforwarding,
  ];
}

/** Which optional columns the domains table has: each only when some domain has a value for it. */
export interface TableLayout {
  withInfo: boolean;
  withEpp: boolean;
  /** A `dnssec` column (export --with-dnssec). */
  withDnssec?: boolean;
  /** Write-only, so never in an export: the column only when a manifest written back holds it. */
  withIdProtection?: boolean;
}

export function tableLayout(domains: Iterable<DesiredDomain>): TableLayout {
  const l = { withInfo: false, withEpp: false };
  for (const d of domains) addToLayout(l, d);
  return l;
}

export function addToLayout(l: TableLayout, d: DesiredDomain): void {
  if (d.info?.status || d.info?.expires) l.withInfo = true;
  if (d.info?.eppcode) l.withEpp = true;
  if (d.info?.dnssec) l.withDnssec = true;
  if (d.idprotection !== undefined) l.withIdProtection = true;
}

/** A table's header row. */
export function tableHeader(kind: TableKind, l: TableLayout): string[] {
  return [...TABLE_KINDS[kind]].filter(
    (c) =>
      kind !== "domains" ||
      ((l.withInfo || (c !== "status" && c !== "expires")) &&
        (l.withEpp || c !== "eppcode") &&
        (l.withDnssec || c !== "dnssec") &&
        (l.withIdProtection || c !== "idprotection")),
  );
}

/** The rows a domain (in written order, see sortedDomain) adds to each table. */
export function domainTableRows(d: DesiredDomain, l: TableLayout): [TableKind, TableCell[]][] {
  const out: [TableKind, TableCell[]][] = [];
  const ns = d.nameservers ?? [];
  const row: TableCell[] = [
    d.display,
    ...[0, 1, 2, 3, 4].map((i) => ns[i] ?? ""),
    d.lock,
    d.autorenew,
    d.expiresNotBefore ?? "",
    d.state ?? "",
  ];
  if (l.withInfo) row.push(d.info?.status ?? "", d.info?.expires ?? "");
  if (l.withEpp) row.push(d.info?.eppcode ?? "");
  if (l.withDnssec) row.push(d.info?.dnssec ?? "");
  if (l.withIdProtection) row.push(d.idprotection);
  out.push(["domains", row]);
  if (d.dns) {
    if (d.dns.length === 0) out.push(["dns", [d.display, "", "", "", undefined]]);
    for (const r of d.dns)
      out.push(["dns", [d.display, r.host, r.type, r.address, r.priority === null ? undefined : r.priority]]);
  }
  for (const r of d.dnsIgnore ?? []) out.push(["dns_ignore", [d.display, r.host, r.type ?? ""]]);
  if (d.forwarding) {
    if (d.forwarding.length === 0) out.push(["forwarding", [d.display, "", ""]]);
    for (const f of d.forwarding) out.push(["forwarding", [d.display, f.prefix, f.to]]);
  }
  if (d.glue) {
    const hosts = Object.entries(d.glue);
    if (hosts.length === 0) out.push(["glue", [d.display, "", ""]]);
    for (const [host, addresses] of hosts) for (const a of addresses) out.push(["glue", [d.display, host, a]]);
  }
  if (d.registrant) out.push(["registrant", [d.display, ...REGISTRANT_FIELDS.map((k) => d.registrant![k] ?? "")]]);
  const purchase = d.register
    ? { op: "register", ...d.register, authcode: "" }
    : d.transfer
      ? { op: "transfer", authcode: "", ...d.transfer }
      : undefined;
  if (purchase)
    out.push([
      "lifecycle",
      [d.display, purchase.op, purchase.years, purchase.owner, purchase.authcode ?? "", ...extrasCells(purchase)],
    ]);
  return out;
}

/** The rows of the manifest-wide tables: `dns_ignore` rows come before the domains', `owners` rows after. */
export function manifestRows(m: Manifest, where: "before" | "after"): [TableKind, TableCell[]][] {
  if (where === "before") return m.dnsIgnore.map((r) => ["dns_ignore", ["*", r.host, r.type ?? ""]]);
  return sortedOwnerNames(m).map((name) => [
    "owners",
    [name, ...OWNER_FIELDS.map((k) => m.owners[name]![k] ?? ""), ...extrasCells(m.ownerExtras[name] ?? {})],
  ]);
}

/** The tables that have rows, in the order of `TABLE_KINDS`. */
export function manifestTables(m: Manifest): Table[] {
  const domains = sortedDomains(m);
  const l = tableLayout(domains);
  const rows: Record<TableKind, TableCell[][]> = {
    domains: [],
    dns: [],
    forwarding: [],
    registrant: [],
    owners: [],
    lifecycle: [],
    dns_ignore: [],
    glue: [],
  };
  for (const [kind, row] of manifestRows(m, "before")) rows[kind].push(row);
  for (const d of domains) for (const [kind, row] of domainTableRows(d, l)) rows[kind].push(row);
  for (const [kind, row] of manifestRows(m, "after")) rows[kind].push(row);
  const tables: Table[] = [];
  for (const kind of TABLE_ORDER)
    if (rows[kind].length) tables.push({ kind, header: tableHeader(kind, l), rows: rows[kind] });
  return tables;
}

/** The order tables (and a CSV export's files) are written in. */
export const TABLE_ORDER: readonly TableKind[] = [
  "domains",
  "dns",
  "forwarding",
  "registrant",
  "owners",
  "lifecycle",
  "dns_ignore",
  "glue",
];
