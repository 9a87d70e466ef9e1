/**
 * Reads the live state of named domains into a manifest that regdom-bulk reads back unchanged:
 * the same normalization as plan, so `export` then `plan` prints `No changes.`
 */

import type { Registrant, RegistrantField } from "@regdom/core";
import { domainParams, registrantOf, toUnicode } from "@regdom/core";
import {
  compareForwardings,
  type DesiredDomain,
  emptyManifest,
  fields as f,
  type Manifest,
  normalizeForwarding,
  normalizeHostname,
  normalizeRegistrant,
  Problems,
} from "@regdom/manifest";
import { checkDnssec, type DnssecCheck } from "../dnssec/guard.js";
import { normalizeLiveDns } from "../plan/diffSections.js";
import type { DnssecOptions } from "../plan/planPortfolio.js";
import type { Registrar } from "../registrar.js";
import { settleAll } from "../settleAll.js";

import { EXPORT_SECTIONS, type ExportSection } from "./sections.js";

export { EXPORT_SECTIONS, type ExportSection };

export interface ExportOptions {
  sections?: readonly ExportSection[];
  withEpp?: boolean;
  withStatus?: boolean;
  /** Add each domain's DNSSEC state (the DS at the parent against its nameservers' DNSKEY sets). */
  withDnssec?: DnssecOptions;
  onDomain?: (name: string, ok: boolean) => void;
  /**
   * Takes each domain as it is read, in no set order; the result's manifest then stays empty, so a
   * whole portfolio need not be held in memory (the export writes it from a spool file).
   */
  onRead?: (d: DesiredDomain) => void;
  /** Domains read at once (default 64). */
  domainConcurrency?: number;
}

export interface ExportResult {
  manifest: Manifest;
  failed: { domain: string; message: string }[];
  warnings: string[];
}

/** Registrant fields that bulk would refuse are left out (unmanaged), with a warning. */
function exportableRegistrant(r: Registrant, domain: string, warnings: string[]): Registrant {
  const out: Registrant = {};
  const p = new Problems();
  const ref = { file: domain };
  for (const [k, v] of Object.entries(normalizeRegistrant(r)) as [RegistrantField, string][]) {
    const before = p.errors.length;
    if (v !== "") f.contactField(k, v, ref, p);
    if (p.errors.length > before)
      warnings.push(
        `${domain}: registrant ${k} ${JSON.stringify(v)} is not valid manifest input; left out (unmanaged)`,
      );
    else out[k] = v;
  }
  return out;
}

/**
 * What the registrar holds but a manifest's rules question (a CNAME beside other records, an
 * empty TXT, a host `-cmd`, a forwarding `=1+1`): exported all the same, since a backup must
 * restore what is live, and said on stderr with the rule it breaks, as the readers will say it.
 */
function liveShapeWarnings(d: DesiredDomain, warnings: string[]): void {
  const p = new Problems();
  const ref = { file: d.display };
  if (d.dns) {
    const checked = d.dns.map((r) => f.dnsRecord(r, d.name, () => ref, p));
    if (checked.every((r) => r !== undefined)) f.checkZone(checked, () => ref, p);
  }
  for (const fw of d.forwarding ?? []) f.forwardingPrefix(fw.prefix, ref, p);
  // A type regdom does not check is how the registrar holds it: nothing to say on export.
  for (const w of p.warnings)
    if (!/^record type \S+ is not one regdom checks/.test(w.message)) warnings.push(`${d.display}: ${w.message}`);
  for (const e of p.errors)
    warnings.push(`${d.display}: ${e.message} (exported as read; validate will refuse it until it is fixed)`);
}

export async function readDomainForExport(
  client: Registrar,
  name: string,
  o: ExportOptions,
  warnings: string[],
): Promise<DesiredDomain> {
  const { ace } = domainParams(name);
  const sections = o.sections ?? EXPORT_SECTIONS;
  const d: DesiredDomain = { name: ace, display: toUnicode(ace), source: { file: "live" } };
  await settleAll([
    sections.includes("nameservers") &&
      client.getNameservers(ace).then((ns) => (d.nameservers = ns.map(normalizeHostname))),
    sections.includes("lock") &&
      client.getLock(ace).then((l) => {
        // null: the registrar offers no lock for this domain, so the export leaves lock out.
        if (l !== null) d.lock = l;
      }),
    sections.includes("dns") && client.getDns(ace).then((rs) => (d.dns = normalizeLiveDns(rs, ace))),
    sections.includes("forwarding") &&
      client
        .getEmailForwarding(ace)
        .then((fs) => (d.forwarding = fs.map(normalizeForwarding).sort(compareForwardings))),
    sections.includes("registrant") &&
      client.getContacts(ace).then((set) => {
        d.registrant = exportableRegistrant(registrantOf(set), d.display, warnings);
        const others = Object.fromEntries(Object.entries(set).filter(([type]) => type.toLowerCase() !== "registrant"));
        if (Object.keys(others).length) d.info = { ...d.info, contacts: others };
      }),
    o.withStatus &&
      client.sync(ace).then((s) => {
        d.info = {
          ...d.info,
          ...(s.status ? { status: s.status } : {}),
          ...(s.expiryDate ? { expires: s.expiryDate } : {}),
        };
      }),
    o.withEpp &&
      client.getEppCode(ace).then((code) => {
        if (code) d.info = { ...d.info, eppcode: code };
      }),
  ]);
  if (o.withDnssec) {
    const ns = d.nameservers ?? (await client.getNameservers(ace)).map(normalizeHostname);
    const { resolver } = o.withDnssec;
    const check: DnssecCheck = resolver
      ? await checkDnssec(ace, ns, { ...o.withDnssec, resolver })
      : { verdict: "unknown", ds: [], servers: [], reason: "no resolver (none in /etc/resolv.conf; use --resolver)" };
    d.info = { ...d.info, dnssec: dnssecInfo(check) };
  }
  liveShapeWarnings(d, warnings);
  return d;
}

/** The export's one-cell DNSSEC state: `unsigned`, `signed DS …`, `broken DS …: why`, `unknown: why`. */
export function dnssecInfo(c: DnssecCheck): string {
  switch (c.verdict) {
    case "unsigned":
      return "unsigned";
    case "safe":
      return `signed DS ${c.ds.join(" ")}`;
    case "would break":
      return `broken DS ${c.ds.join(" ")}: ${c.reason}`;
    case "unknown":
      return `unknown: ${c.reason}`;
  }
}

export async function exportPortfolio(
  client: Registrar,
  names: string[],
  o: ExportOptions = {},
): Promise<ExportResult> {
  const manifest = emptyManifest();
  const failed: ExportResult["failed"] = [];
  const warnings: string[] = [];
  const unique = [...new Map(names.map((n) => [domainParams(n).ace, n])).values()];
  // Requests are limited by the client's scheduler; this only bounds how many domains wait in
  // memory. A fixed set of workers takes the next name each: nothing is set up per domain ahead
  // of its turn (a task and a promise for each of 100,000 names was memory of its own).
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const n = unique[next++]!;
      try {
        const d = await readDomainForExport(client, n, o, warnings);
        if (o.onRead) o.onRead(d);
        else manifest.domains.set(d.name, d);
        o.onDomain?.(n, true);
      } catch (e) {
        failed.push({ domain: n, message: e instanceof Error ? e.message : String(e) });
        o.onDomain?.(n, false);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.domainConcurrency ?? 64, unique.length) }, worker));
  if (client.fatal) throw client.fatal;
  failed.sort((a, b) => (a.domain < b.domain ? -1 : 1));
  // Domains finish in any order: their warnings are said in a stable one.
  warnings.sort();
  return { manifest, failed, warnings };
}
