/**
 * A manifest as the table kinds (domains, dns, forwarding, …): one header and its rows each, with
 * cells typed by what they mean (flags as booleans, priority and years as numbers, everything else
 * as text), so the CSV writer can print them and the XLSX writer can keep their types.
 */
import { OWNER_FIELDS, REGISTRANT_FIELDS } from "@regdom/core/data";
import type { Manifest, PurchaseExtras } from "./model.js";
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

/** The tables that have rows, in the order of `TABLE_KINDS`. */
export function manifestTables(m: Manifest): Table[] {
  const domains = sortedDomains(m);
  const rows: Record<TableKind, TableCell[][]> = {
    domains: [],
    dns: [],
    forwarding: [],
    registrant: [],
    owners: [],
    lifecycle: [],
    dns_ignore: m.dnsIgnore.map((r) => ["*", r.host, r.type ?? ""]),
  };
  const withInfo = domains.some((d) => d.info?.status || d.info?.expires);
  const withEpp = domains.some((d) => d.info?.eppcode);
  for (const d of domains) {
    const ns = d.nameservers ?? [];
    const row: TableCell[] = [
      d.display,
      ...[0, 1, 2, 3, 4].map((i) => ns[i] ?? ""),
      d.lock,
      d.autorenew,
      d.expiresNotBefore ?? "",
      d.state ?? "",
    ];
    if (withInfo) row.push(d.info?.status ?? "", d.info?.expires ?? "");
    if (withEpp) row.push(d.info?.eppcode ?? "");
    rows.domains.push(row);
    if (d.dns) {
      if (d.dns.length === 0) rows.dns.push([d.display, "", "", "", undefined]);
      for (const r of d.dns)
        rows.dns.push([d.display, r.host, r.type, r.address, r.priority === null ? undefined : r.priority]);
    }
    for (const r of d.dnsIgnore ?? []) rows.dns_ignore.push([d.display, r.host, r.type ?? ""]);
    if (d.forwarding) {
      if (d.forwarding.length === 0) rows.forwarding.push([d.display, "", ""]);
      for (const f of d.forwarding) rows.forwarding.push([d.display, f.prefix, f.to]);
    }
    if (d.registrant) rows.registrant.push([d.display, ...REGISTRANT_FIELDS.map((k) => d.registrant![k] ?? "")]);
    const purchase = d.register
      ? { op: "register", ...d.register, authcode: "" }
      : d.transfer
        ? { op: "transfer", authcode: "", ...d.transfer }
        : undefined;
    if (purchase)
      rows.lifecycle.push([
        d.display,
        purchase.op,
        purchase.years,
        purchase.owner,
        purchase.authcode ?? "",
        ...extrasCells(purchase),
      ]);
  }
  for (const name of sortedOwnerNames(m))
    rows.owners.push([
      name,
      ...OWNER_FIELDS.map((k) => m.owners[name]![k] ?? ""),
      ...extrasCells(m.ownerExtras[name] ?? {}),
    ]);

  const tables: Table[] = [];
  for (const kind of Object.keys(rows) as TableKind[]) {
    if (rows[kind].length === 0) continue;
    const header = [...TABLE_KINDS[kind]].filter(
      (c) => kind !== "domains" || ((withInfo || (c !== "status" && c !== "expires")) && (withEpp || c !== "eppcode")),
    );
    tables.push({ kind, header, rows: rows[kind] });
  }
  return tables;
}
