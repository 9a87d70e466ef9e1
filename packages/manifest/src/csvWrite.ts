/**
 * Writes a manifest as the contract's CSV kinds, one file each. Cells a spreadsheet would run as
 * a formula (starting with = + - @) get a leading `'`, which the reader strips again.
 */

import { OWNER_FIELDS, REGISTRANT_FIELDS } from "@regdom/core";
import { stringify } from "csv-stringify/sync";
import type { Manifest, PurchaseExtras } from "./model.js";
import { sortedDomains, sortedOwnerNames } from "./order.js";
import { TABLE_KINDS, type TableKind } from "./tableRead.js";

export interface CsvWriteOptions {
  /** UTF-8 BOM, `;` and CRLF, as Excel in Swedish and other comma-decimal locales expects. */
  excel?: boolean;
}

export function neutralize(cell: string): string {
  return /^[=+\-@]/.test(cell) ? `'${cell}` : cell;
}

const yn = (b: boolean | undefined): string => (b === undefined ? "" : b ? "true" : "false");

/** The cells of admin, domainfields (`key=value; …`) and the three flags. */
function extrasCells(x: PurchaseExtras): string[] {
  return [
    x.admin ?? "",
    Object.entries(x.domainfields ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join("; "),
    yn(x.idprotection),
    yn(x.dnsmanagement),
    yn(x.emailforwarding),
  ];
}

/** File name (`domains.csv`, …) to content, for the kinds that have rows. */
export function writeCsvManifest(m: Manifest, opts: CsvWriteOptions = {}): Map<string, string> {
  const domains = sortedDomains(m);
  const rows: Record<TableKind, string[][]> = {
    domains: [],
    dns: [],
    forwarding: [],
    registrant: [],
    owners: [],
    lifecycle: [],
    dns_ignore: m.dnsIgnore.map((r) => ["*", r.host, r.type ?? ""]),
  };
  const withInfo = domains.some((d) => d.info?.status || d.info?.expires);
  for (const d of domains) {
    const ns = d.nameservers ?? [];
    const row = [
      d.display,
      ...[0, 1, 2, 3, 4].map((i) => ns[i] ?? ""),
      yn(d.lock),
      yn(d.autorenew),
      d.expiresNotBefore ?? "",
      d.state ?? "",
    ];
    if (withInfo) row.push(d.info?.status ?? "", d.info?.expires ?? "");
    rows.domains.push(row);
    if (d.dns) {
      if (d.dns.length === 0) rows.dns.push([d.display, "", "", "", ""]);
      for (const r of d.dns)
        rows.dns.push([d.display, r.host, r.type, r.address, r.priority === null ? "" : String(r.priority)]);
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
        String(purchase.years),
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

  const out = new Map<string, string>();
  for (const kind of Object.keys(rows) as TableKind[]) {
    if (rows[kind].length === 0) continue;
    const header = [...TABLE_KINDS[kind]].filter(
      (c) => kind !== "domains" || withInfo || (c !== "status" && c !== "expires"),
    );
    const text = stringify([header, ...rows[kind].map((r) => r.map(neutralize))], {
      delimiter: opts.excel ? ";" : ",",
      record_delimiter: opts.excel ? "windows" : "unix",
      bom: opts.excel ?? false,
    });
    out.set(`${kind}.csv`, text);
  }
  return out;
}
