/**
 * The one step that builds a manifest from what the readers read. A reader (YAML, JSON, CSV, XLSX,
 * zone) never sees the manifest: it hands the domains, sections, owner profiles and dns_ignore rules
 * of its file to a `ReadSink` as it reads them (a 100k-domain CSV is streamed, never held twice),
 * and returns its file's problems as a value. The assembler merges the files: a domain several files
 * describe (each section once), owner profiles defined once, and at the end the checks that span
 * files (owners and admins defined, dns_ignore rules against desired records, a deleted domain that
 * manages nothing else). What a merge refuses comes back to the reader as a problem, so it stands
 * in its place among the file's own.
 */
import type { DnsRecord, InputProblem, Owner } from "@regdom/core/data";
import {
  type DesiredDomain,
  emptyManifest,
  type IgnoreRule,
  type Manifest,
  type PurchaseExtras,
  purchaseSources,
  ruleCovering,
  ruleSources,
  SECTION_FIELDS,
  type SourceRef,
  sectionGiven,
  zoneSources,
} from "./model.js";
import { formatPlace } from "./place.js";
import type { AnySection, SectionName } from "./sections/index.js";
import type { DomainName } from "./sections/located.js";

/** What a reader hands the assembler while it reads one file; see the module comment. */
export interface ReadSink {
  /** The domain a name as written stands for, when this load has already checked that spelling. */
  known(written: string): DomainName | undefined;
  /** A domain named in a table row, its name checked: created at its first mention in the load (its source). */
  named(written: string, id: DomainName, at: SourceRef): DomainName;
  /**
   * Whether a table may give a section of a domain: undefined, or why not (the reader says it at its
   * cell) when another file, or another row of this one, gave it. `row` is the row's domain cell;
   * `manyRows` when the section spans rows of one table (dns, a rows section's own table).
   */
  claim(id: DomainName, section: SectionName, row: SourceRef, manyRows: boolean): string | undefined;
  /** The earlier row of the same table (file and sheet) that listed the domain in a domains table, if any. */
  listed(id: DomainName, row: SourceRef): SourceRef | undefined;
  /** A section's checked value for a domain a table named. */
  give(id: DomainName, section: AnySection, value: unknown): void;
  /** Read-only facts an export wrote (status, expiry): they add up. */
  info(id: DomainName, info: NonNullable<DesiredDomain["info"]>): void;
  /** A domain read whole (a YAML domain, a zone file's records): merged, each section once; the problems at `at`. */
  domain(d: DesiredDomain, at: SourceRef): readonly InputProblem[];
  /** An owner profile about to be defined at `at`: a problem when one of that name already is. */
  ownerNamed(name: string, at: SourceRef): InputProblem | undefined;
  owner(name: string, owner: Owner, extras: PurchaseExtras): void;
  /** dns_ignore rules for every domain. */
  ignoreAll(rules: readonly IgnoreRule[]): void;
}

/** What one file's reading noted about a domain: where each section was first given, in which table. */
interface Noted {
  given: Partial<Record<SectionName, SourceRef>>;
  domainsRow?: SourceRef;
}

const NONE: readonly InputProblem[] = Object.freeze([]);

const error = (ref: SourceRef, message: string): InputProblem => ({ ...ref, message, severity: "error" });

/** A row's place: `file:line`, or `file.xlsx:Sheet!A7` in a workbook. */
const rowPlace = (ref: SourceRef): string =>
  ref.sheet === undefined ? `${ref.file}:${ref.line}` : formatPlace({ ...ref, column: 1 });

const sameTable = (a: SourceRef, b: SourceRef): boolean => a.file === b.file && a.sheet === b.sheet;

/** The message for a section a domain already has from an earlier file. */
export function givenEarlier(d: DesiredDomain, section: string): string {
  return `the ${section} of ${d.display} is already given by an earlier file (the domain is first named at ${d.source.file}:${d.source.line ?? 1}); give each section of a domain once`;
}

/** Builds one manifest from the files of a load, and holds the load's problems in the order found. */
export class Assembly implements ReadSink {
  readonly errors: InputProblem[] = [];
  readonly warnings: InputProblem[] = [];
  /** Domain names as written (in Unicode, say) that were already checked, so each is checked once. */
  readonly #spelled = new Map<string, DesiredDomain>();
  readonly #noted = new Map<DesiredDomain, Noted>();

  constructor(readonly manifest: Manifest = emptyManifest()) {}

  /** Problems a file's reading (or the loader) found, in order. */
  report(problems: readonly InputProblem[]): void {
    for (const x of problems) (x.severity === "warning" ? this.warnings : this.errors).push(x);
  }

  #noteOf(d: DesiredDomain): Noted {
    let n = this.#noted.get(d);
    if (!n) {
      n = { given: {} };
      this.#noted.set(d, n);
    }
    return n;
  }

  /** The manifest's domain of an id a table named (named or known made it, so it is there). */
  #domain(id: DomainName): DesiredDomain {
    return this.manifest.domains.get(id.name)!;
  }

  known(written: string): DomainName | undefined {
    return this.manifest.domains.get(written) ?? this.#spelled.get(written);
  }

  named(written: string, id: DomainName, at: SourceRef): DomainName {
    let d = written === id.name ? undefined : this.manifest.domains.get(id.name);
    if (!d) {
      d = { name: id.name, display: id.display, source: at };
      this.manifest.domains.set(id.name, d);
    }
    if (written !== id.name) this.#spelled.set(written, d);
    return d;
  }

  claim(id: DomainName, section: SectionName, row: SourceRef, manyRows: boolean): string | undefined {
    const d = this.#domain(id);
    const n = this.#noteOf(d);
    const first = n.given[section];
    if (!first) {
      // Not claimed by a table, yet held: a YAML file gave it.
      if (sectionGiven(d, section)) return givenEarlier(d, section);
      n.given[section] = row;
      return undefined;
    }
    if (manyRows && sameTable(first, row)) return undefined;
    return `the ${section} of ${d.display} is already given at ${rowPlace(first)}; give each section of a domain once`;
  }

  listed(id: DomainName, row: SourceRef): SourceRef | undefined {
    const n = this.#noteOf(this.#domain(id));
    const prev = n.domainsRow;
    if (prev && sameTable(prev, row)) return prev;
    n.domainsRow = row;
    return undefined;
  }

  give(id: DomainName, section: AnySection, value: unknown): void {
    section.assign(this.#domain(id), value);
  }

  info(id: DomainName, info: NonNullable<DesiredDomain["info"]>): void {
    const d = this.#domain(id);
    d.info = { ...d.info, ...info };
  }

  domain(d: DesiredDomain, at: SourceRef): readonly InputProblem[] {
    const prior = this.manifest.domains.get(d.name);
    if (!prior) {
      this.manifest.domains.set(d.name, d);
      return NONE;
    }
    // Several files may describe one domain, each section once: the sections this file adds move to
    // the earlier domain; one given again is refused.
    const problems: InputProblem[] = [];
    for (const [section, fields] of SECTION_FIELDS) {
      if (!fields.some((k) => d[k] !== undefined)) continue;
      if (sectionGiven(prior, section)) {
        problems.push(error(at, givenEarlier(prior, section)));
        continue;
      }
      for (const k of fields) if (d[k] !== undefined) (prior as unknown as Record<string, unknown>)[k] = d[k];
    }
    // Read-only facts (status, expiry) are not managed: the later file's simply add to them.
    if (d.info) prior.info = { ...prior.info, ...d.info };
    return problems;
  }

  ownerNamed(name: string, at: SourceRef): InputProblem | undefined {
    return this.manifest.owners[name] ? error(at, `owner "${name}" is defined twice`) : undefined;
  }

  owner(name: string, owner: Owner, extras: PurchaseExtras): void {
    this.manifest.owners[name] = owner;
    if (Object.keys(extras).length) this.manifest.ownerExtras[name] = extras;
  }

  ignoreAll(rules: readonly IgnoreRule[]): void {
    this.manifest.dnsIgnore.push(...rules);
  }

  /** The checks that span files, once every file is read: their problems join the load's. */
  finish(): void {
    this.report(acrossFiles(this.manifest));
  }
}

/**
 * A desired record that a dns_ignore rule covers would never be sent (the rule keeps the live
 * records instead): a conflict, named at both places, as DNSControl's IGNORE refuses one.
 */
function ignoredDesired(dns: DnsRecord[], rules: IgnoreRule[], fallback: SourceRef, out: InputProblem[]): void {
  const refOf = zoneSources.get(dns);
  dns.forEach((r, i) => {
    const rule = ruleCovering(rules, r);
    if (!rule) return;
    const at = ruleSources.get(rule);
    const where = at ? ` at ${at.file}${at.sheet ? `:${at.sheet}` : ""}:${at.line ?? 1}` : "";
    out.push(
      error(
        refOf?.(i) ?? fallback,
        `${r.host} ${r.type} ${JSON.stringify(r.address)} is covered by the dns_ignore rule${where} (host "${rule.host}"${rule.type ? `, type ${rule.type}` : ""}), so it would never be sent: remove the record, or narrow the rule`,
      ),
    );
  });
}

/** What a deleted domain may not also give: every section's fields but `state` itself and dns_ignore. */
const MANAGED_FIELDS = SECTION_FIELDS.filter(([s]) => s !== "state" && s !== "dns_ignore").flatMap(
  ([, fields]) => fields,
);

/**
 * The checks that span files, on a manifest every file was merged into; the manifest-wide dns_ignore
 * rules go with each zone (so a saved plan carries them).
 */
export function acrossFiles(m: Manifest): InputProblem[] {
  const out: InputProblem[] = [];
  for (const d of m.domains.values()) {
    if (d.dns && m.dnsIgnore.length) d.dnsIgnore = [...(d.dnsIgnore ?? []), ...m.dnsIgnore];
    if (d.dns && d.dnsIgnore?.length) ignoredDesired(d.dns, d.dnsIgnore, d.source, out);
    if (d.register && d.transfer)
      out.push(error(d.source, `${d.display}: register and transfer both given; choose one`));
    const purchase = d.register ?? d.transfer;
    const ownerRef = (purchase && purchaseSources.get(purchase)) ?? d.source;
    if (purchase && !m.owners[purchase.owner])
      out.push(
        error(
          ownerRef,
          `owner "${purchase.owner}" of ${d.display} is not defined${Object.keys(m.owners).length ? `; defined: ${Object.keys(m.owners).join(", ")}` : " (add it under owners)"}`,
        ),
      );
    const admin = purchase?.admin ?? (purchase ? m.ownerExtras[purchase.owner]?.admin : undefined);
    if (admin && !m.owners[admin])
      out.push(error(ownerRef, `admin "${admin}" of ${d.display} is not defined; an admin is a profile under owners`));
    if (d.state === "deleted") {
      const others = MANAGED_FIELDS.filter((k) => d[k] !== undefined);
      if (others.length)
        out.push(
          error(
            d.source,
            `${d.display} is marked deleted but also manages ${others.join(", ")}; a deleted domain manages nothing else`,
          ),
        );
    }
  }
  return out;
}

/** The assembly of a manifest a caller fills file by file through the one-file readers (tests, tools). */
const assemblies = new WeakMap<Manifest, Assembly>();
export function assemblyOf(m: Manifest): Assembly {
  let a = assemblies.get(m);
  if (!a) {
    a = new Assembly(m);
    assemblies.set(m, a);
  }
  return a;
}
