/**
 * Reads the live state of named domains into a manifest that regdom-bulk reads back unchanged:
 * the same normalization as plan, so `export` then `plan` prints `No changes.`
 */

import { domainParams, toUnicode } from "@regdom/core";
import { type DesiredDomain, emptyManifest, type Manifest, normalizeHostname } from "@regdom/manifest";
import { checkDnssec, type DnssecCheck } from "../dnssec/guard.js";
import type { LiveState } from "../plan/model.js";
import type { DnssecOptions } from "../plan/planPortfolio.js";
import type { Registrar } from "../registrar.js";
import { settleAll } from "../settleAll.js";

import { EXPORT_SECTIONS, type ExportSection, exportedModules } from "./sections.js";

export { EXPORT_SECTIONS, type ExportSection };

export interface ExportOptions {
  sections?: readonly ExportSection[];
  withEpp?: boolean;
  withStatus?: boolean;
  /** Add each domain's DNSSEC state (the DS at the parent against its nameservers' DNSKEY sets). */
  withDnssec?: DnssecOptions;
  /** The resolver of the sections read from DNS (opt-in ones named in `sections`: glue). */
  dns?: DnssecOptions;
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

export async function readDomainForExport(
  client: Registrar,
  name: string,
  o: ExportOptions,
  warnings: string[],
): Promise<DesiredDomain> {
  const { ace } = domainParams(name);
  const exported = exportedModules();
  const sections = o.sections ?? exported.filter((m) => !m.export.optIn).map((m) => m.name);
  const d: DesiredDomain = { name: ace, display: toUnicode(ace), source: { file: "live" } };
  // Each section is read as plan reads it (through the registrar, or DNS for an opt-in one), and
  // its module says what of it the manifest holds.
  const live: LiveState = { exists: true };
  const ctx = o.dns ? { dns: o.dns } : {};
  await settleAll([
    ...exported
      .filter((m) => sections.includes(m.name))
      .map((m) => {
        const read = m.live.read(client, ace, live, ctx).then(() => m.export.toManifest(live, d, warnings));
        // An opt-in section that cannot be read is left out (unmanaged), never written empty.
        return m.export.optIn
          ? read.catch((e: unknown) => {
              warnings.push(
                `${d.display}: ${m.name} left out (unmanaged): ${e instanceof Error ? e.message : String(e)}`,
              );
            })
          : read;
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
