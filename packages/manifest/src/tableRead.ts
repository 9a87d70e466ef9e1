/**
 * The kinds of table a portfolio is written in (domains, dns, forwarding, registrant, owners,
 * lifecycle, dns_ignore, a rows section's own table), each known by its header row, and the readers
 * that hand their rows' located values to the sections' validators and what holds to the assembler
 * (see assemble.ts). CSV files and the sheets of an XLSX workbook both arrive here as rows of text cells.
 */
import { type DnsRecord, InternalError, OWNER_FIELDS, type Owner, REGISTRANT_FIELDS } from "@regdom/core/data";
import type { ReadSink } from "./assemble.js";
import * as f from "./fields.js";
import { PURCHASE_EXTRAS, type SourceRef } from "./model.js";
import { didYouMean, type Problems } from "./problems.js";
import { RECORD_KEYS, type RecordField, validateRecord, validateZone } from "./sections/dns.js";
import { validateIgnoreRules } from "./sections/dnsIgnore.js";
import {
  type AnySection,
  DNS,
  DNS_IGNORE,
  DOMAIN_SECTIONS,
  type DomainSection,
  EXPIRES_NOT_BEFORE,
  FLAG_SECTIONS,
  FORWARDING,
  GLUE,
  NAMESERVERS,
  REGISTER,
  REGISTRANT,
  type SectionName,
  STATE,
  TRANSFER,
} from "./sections/index.js";
import type { DomainName, Located, LocatedFields } from "./sections/located.js";
import { PURCHASE_KEYS } from "./sections/purchase.js";

export const TABLE_KINDS = {
  domains: [
    "domain",
    "ns1",
    "ns2",
    "ns3",
    "ns4",
    "ns5",
    "lock",
    "autorenew",
    "expires_not_before",
    "state",
    "status",
    "expires",
    "eppcode",
    "dnssec",
    "idprotection",
  ],
  dns: ["domain", "host", "type", "address", "priority"],
  forwarding: ["domain", ...FORWARDING.table!.columns],
  glue: ["domain", ...GLUE.table!.columns],
  registrant: ["domain", ...REGISTRANT_FIELDS],
  owners: ["owner", ...OWNER_FIELDS, ...PURCHASE_EXTRAS],
  lifecycle: ["domain", "operation", "years", "owner", "authcode", ...PURCHASE_EXTRAS],
  dns_ignore: ["domain", "ignore_host", "ignore_type"],
} as const;
export type TableKind = keyof typeof TABLE_KINDS;
/** The key of a rows section read from a table of its own (see `table` in sections/index.ts). */
export type SectionTableKind = string;

/** The rows sections that have a table of their own, each known by having all of its columns. */
const TABLE_SECTIONS = DOMAIN_SECTIONS.filter(
  (s): s is DomainSection<"rows"> => s.shape === "rows" && s.table !== undefined,
);

/** The sections whose rows of one table are one value (dns, a rows section's own table); every other is one row. */
const MANY_ROWS: ReadonlySet<SectionName> = new Set<SectionName>(["dns", ...TABLE_SECTIONS.map((t) => t.section)]);

export const MAX_COLUMNS = 64;
export const MAX_CELL = 64 * 1024;

/** Which kind of CSV a header row is, by its distinctive columns. */
export function tableKind(header: string[]): TableKind | SectionTableKind | undefined {
  const h = new Set(header);
  if (h.has("owner") && h.has("firstname")) return "owners";
  if (!h.has("domain")) return undefined;
  if (h.has("type") && h.has("address")) return "dns";
  if (h.has("operation")) return "lifecycle";
  // A rows section with a table of its own: all of its columns are there.
  for (const t of TABLE_SECTIONS) if (t.table?.columns.every((c) => h.has(c))) return t.key;
  if (h.has("ignore_host")) return "dns_ignore";
  if (REGISTRANT_FIELDS.some((k) => k !== "country" && h.has(k))) return "registrant";
  return "domains";
}

/** A column whose header starts with `#`: a comment, in CSV and XLSX alike. */
export const isCommentColumn = (key: string): boolean => key.startsWith("#");

/** A header cell as a column key: trimmed, lower case, spaces as `_` ("Zip Code" is zip_code). */
export function headerKey(cell: string): string {
  return cell.trim().toLowerCase().replace(/\s+/g, "_");
}

/**
 * A spreadsheet-safe cell: `'` before `= + - @` is how export neutralized a formula (and how a
 * spreadsheet marks text it was told not to compute, which it keeps when it saves a workbook). A
 * value that itself starts with `'` before one of them was written with one more `'` (see neutralize).
 */
export function unneutralize(cell: string): string {
  return /^'+[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * One data row: its first line in the file and its raw cells. A single object is reused from row
 * to row (sinks read it and keep nothing), since 500k short-lived rows are measurable garbage.
 */
export interface Row {
  line: number;
  cells: string[];
}

export interface RowSink {
  row(row: Row): void;
  end(): void;
}

/** Where a table is: a CSV file, or one sheet of a workbook; its header is on `headerLine`. */
export interface TablePlace {
  file: string;
  sheet?: string;
  headerLine: number;
}

/**
 * The rows' sink for a table with this header, or undefined (with the problems said) when it is not
 * one. Problems go to the file's collector `p` (the CSV or workbook reader's own); what the rows give
 * goes to the assembler's `out`.
 */
export function startTable(header: string[], place: TablePlace, p: Problems, out: ReadSink): RowSink | undefined {
  const { file, sheet, headerLine: line } = place;
  const noun = sheet === undefined ? "CSV" : "sheet";
  if (header.length > MAX_COLUMNS) {
    p.error({ file, sheet, line }, `${header.length} columns in the header: at most ${MAX_COLUMNS}`);
    return undefined;
  }
  // A column whose header starts with `#` is a comment (ops keep notes beside rows): never read.
  const kind = tableKind(header.filter((h) => !isCommentColumn(h)));
  if (!kind) {
    p.error(
      { file, sheet, line },
      // The header matched nothing, so it may not be a manifest at all (a token file, /etc/passwd):
      // it is never quoted, only what was expected.
      `cannot tell what this ${noun} holds from its header row: it has no "domain" column (nor "owner" and "firstname" for owner profiles); expected one of: ${Object.entries(
        TABLE_KINDS,
      )
        .map(([k, cols]) => `${k} (${cols.slice(0, 5).join(",")}…)`)
        .join("; ")}`,
    );
    return undefined;
  }
  const section = TABLE_SECTIONS.find((s) => s.key === kind);
  const allowed: readonly string[] = section?.table
    ? ["domain", ...section.table.columns]
    : TABLE_KINDS[kind as TableKind];
  let bad = false;
  header.forEach((h, i) => {
    if (!allowed.includes(h) && !isCommentColumn(h)) {
      bad = true;
      p.error(
        { file, sheet, line, column: i + 1 },
        `unknown column "${h}" in a ${kind} ${noun}${didYouMean(h, allowed)}`,
      );
    }
  });
  if (bad) return undefined;
  const read = section ? sectionRows(section) : READERS[kind as TableKind];
  if (!read) throw new InternalError(`no reader for a ${kind} table`);
  return read(new TableReader(place, p, out, header));
}

/** A DNS zone being read from one table, with each record's line for errors found zone-wide. */
interface Zone {
  id: DomainName;
  recs: DnsRecord[];
  lines: number[];
}

/** A domain's rows of one section in one table, validated together when the table ends. */
interface RowsList {
  id: DomainName;
  rows: LocatedFields[];
}

/** Reads the cells of one table's rows through its header, and says where a cell is. */
class TableReader {
  private readonly idx: Record<string, number>;
  private readonly domainCol: number;
  #rowRef: SourceRef | undefined;

  readonly file: string;
  readonly sheet: string | undefined;

  constructor(
    place: TablePlace,
    readonly p: Problems,
    readonly out: ReadSink,
    header: string[],
  ) {
    this.file = place.file;
    this.sheet = place.sheet;
    this.idx = Object.fromEntries(header.map((h, i) => [h, i]));
    this.domainCol = this.col("domain");
  }

  /** The index of a column, or -1 when the header does not have it. */
  col(key: string): number {
    return this.idx[key] ?? -1;
  }

  at(row: Row, key: string): SourceRef {
    const ref: SourceRef = { file: this.file, line: row.line, column: (this.idx[key] ?? 0) + 1 };
    if (this.sheet !== undefined) ref.sheet = this.sheet;
    return ref;
  }

  /**
   * The place of a row's domain cell, one object per row: a domain's source and the claims of its
   * sections share it (claims name only file and line), rather than each holding a copy.
   */
  rowRef(row: Row): SourceRef {
    if (this.#rowRef?.line !== row.line) this.#rowRef = this.at(row, "domain");
    return this.#rowRef;
  }

  /** A cell's value, trimmed and with a formula-neutralizing `'` removed; "" when empty. */
  get(row: Row, col: number): string {
    if (col < 0) return "";
    const v = row.cells[col];
    if (v === undefined || v === "") return "";
    const t = v.trim();
    return t.charCodeAt(0) === 39 ? unneutralize(t) : t;
  }

  cell(row: Row, key: string): string {
    return this.get(row, this.col(key));
  }

  domainCell(row: Row): string {
    return this.get(row, this.domainCol);
  }

  /** The domain a row is about; created (by the assembler) on first mention. */
  domainOf(row: Row, raw = this.domainCell(row)): DomainName | undefined {
    if (!raw) {
      this.p.error(this.at(row, "domain"), "domain is empty: every row names its domain");
      return undefined;
    }
    // A name that is already an ACE key, or was written this way before, was checked then.
    const known = this.out.known(raw);
    if (known) return known;
    const id = f.domainName(raw, this.at(row, "domain"), this.p);
    if (!id) return undefined;
    return this.out.named(raw, { name: id.ace, display: id.display }, this.rowRef(row));
  }

  /**
   * Refuses the same section of a domain given in two files (or twice in a one-row-per-domain
   * file). dns and forwarding span many rows of one file; every other section is one cell or row.
   */
  claim(d: DomainName, section: SectionName, row: Row, key: string): boolean {
    const refused = this.out.claim(d, section, this.rowRef(row), MANY_ROWS.has(section));
    if (refused) this.p.error(this.at(row, key), refused);
    return !refused;
  }

  /** Checks a section's raw value and hands what holds to the assembler. */
  give(section: AnySection, raw: unknown, d: DomainName): void {
    const { value, problems } = section.check(raw as never, d);
    if (problems.length) this.p.add(problems);
    if (value !== undefined) this.out.give(d, section, value);
  }
}

type Reader = (r: TableReader) => RowSink;

/** A row's fields as a section's validator takes them: the cells given (not empty), each located. */
function rowFields<K extends string>(
  r: TableReader,
  row: Row,
  keys: readonly K[],
  at: K,
): { fields: Partial<Record<K, string>>; at: (field?: string) => SourceRef } {
  const fields: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = r.cell(row, k);
    if (v !== "") fields[k] = v;
  }
  const line = row.line;
  return { fields, at: (k) => r.at({ line, cells: [] }, k ?? at) };
}

/**
 * The reader of a rows section's own table (forwarding: domain,prefix,to): a domain's rows are
 * gathered, and validated together by the section when the table ends. A new rows section with
 * a `table` in its registration is read by this reader.
 */
function sectionRows(section: DomainSection<"rows">): Reader {
  const keys = section.table?.columns ?? section.keys ?? [];
  return (r) => {
    const lists = new Map<string, RowsList>();
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        let l = lists.get(d.name);
        if (!l) {
          if (!r.claim(d, section.section, row, "domain")) return;
          l = { id: d, rows: [] };
          lists.set(d.name, l);
        }
        const raw = rowFields(r, row, keys, keys[0] ?? "domain");
        // A row with only the domain says "managed, and empty".
        if (Object.keys(raw.fields).length > 0) l.rows.push(raw);
      },
      end() {
        for (const l of lists.values()) r.give(section, l.rows, l.id);
      },
    };
  };
}

/** The readers of the tables that are not a rows section's own (see sectionRows). */
const READERS: { [K in TableKind]?: Reader } = {
  domains(r) {
    const { p } = r;
    const nsKeys = ["ns1", "ns2", "ns3", "ns4", "ns5"];
    const nsCols = nsKeys.map((k) => r.col(k));
    const flagCols = FLAG_SECTIONS.map((s) => [s, r.col(s.key)] as const);
    const scalars = [...flagCols, ...[EXPIRES_NOT_BEFORE, STATE].map((s) => [s, r.col(s.key)] as const)];
    const statusCol = r.col("status");
    const eppCol = r.col("eppcode");
    const expiresCol = r.col("expires");
    const dnssecCol = r.col("dnssec");
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        // A domain may have rows in several domains files (one section each), but one per file.
        const prev = r.out.listed(d, r.rowRef(row));
        if (prev) {
          p.error(r.at(row, "domain"), `${d.display} is listed twice in this file (first on line ${prev.line})`);
          return;
        }
        const items: Located[] = [];
        for (let i = 0; i < 5; i++) {
          const v = r.get(row, nsCols[i]!);
          if (v) items.push({ value: v, at: r.at(row, nsKeys[i]!) });
        }
        if (items.length > 0 && r.claim(d, "nameservers", row, "ns1"))
          r.give(NAMESERVERS, { items, at: items[0]!.at }, d);
        for (const [section, col] of scalars) {
          const v = r.get(row, col);
          if (v && r.claim(d, section.section, row, section.key))
            r.give(section, { value: v, at: r.at(row, section.key) }, d);
        }
        const status = r.get(row, statusCol);
        const expires = r.get(row, expiresCol);
        const eppcode = r.get(row, eppCol);
        const dnssec = r.get(row, dnssecCol);
        // Read-only facts an export wrote (bulk ignores them): kept so the export reads back whole.
        if (status || expires || eppcode || dnssec)
          r.out.info(d, {
            ...(status ? { status } : {}),
            ...(expires ? { expires } : {}),
            ...(eppcode ? { eppcode } : {}),
            ...(dnssec ? { dnssec } : {}),
          });
      },
      end() {},
    };
  },
  dns(r) {
    const { p } = r;
    const [hostCol, typeCol, addressCol, priorityCol] = RECORD_KEYS.map((k) => r.col(k)) as [
      number,
      number,
      number,
      number,
    ];
    let line = 0;
    const raw: LocatedFields<RecordField> = { fields: {}, at: (k) => r.at({ line, cells: [] }, k ?? "type") };
    const zones = new Map<string, Zone>();
    // Rows of one domain usually stand together: the last row's zone serves the next one, and the
    // records of the run are gathered here and copied out exact-size when the domain changes
    // (an array grown by push keeps room for 17, and 100k zones would carry that slack).
    let lastRaw = "";
    let last: Zone | undefined;
    const runRecs: DnsRecord[] = [];
    const runLines: number[] = [];
    const endRun = (): void => {
      if (last && runRecs.length > 0) {
        last.recs = last.recs.length === 0 ? runRecs.slice() : last.recs.concat(runRecs);
        last.lines = last.lines.length === 0 ? runLines.slice() : last.lines.concat(runLines);
      }
      runRecs.length = 0;
      runLines.length = 0;
    };
    const zoneOf = (row: Row): Zone | undefined => {
      const raw = r.domainCell(row);
      if (raw !== "" && raw === lastRaw) return last;
      endRun();
      lastRaw = raw;
      last = undefined;
      const d = r.domainOf(row, raw);
      if (!d) return undefined;
      let z = zones.get(d.name);
      if (!z) {
        if (!r.claim(d, "dns", row, "domain")) return undefined;
        z = { id: d, recs: [], lines: [] };
        zones.set(d.name, z);
      }
      return (last = z);
    };
    return {
      row(row) {
        const z = zoneOf(row);
        if (!z) return;
        const type = r.get(row, typeCol);
        const address = r.get(row, addressCol);
        const host = r.get(row, hostCol);
        const priority = r.get(row, priorityCol);
        // A row with only the domain says "this zone is managed and empty".
        if (!type && !address && !host && !priority) return;
        // One raw record serves every row (the validator keeps nothing of it): 500k rows, no garbage.
        // An empty address cell is an empty address (a TXT may be one), not a missing one.
        const f = raw.fields;
        f.host = host || undefined;
        f.type = type || undefined;
        f.address = address;
        f.priority = priority || undefined;
        line = row.line;
        const { value, problems } = validateRecord(raw, z.id);
        if (problems.length) p.add(problems);
        if (value) {
          runRecs.push(value);
          runLines.push(row.line);
        }
      },
      end() {
        endRun();
        const column = typeCol + 1;
        for (const z of zones.values()) {
          const { problems } = validateZone(z.recs, (i) => ({
            ...r.at({ line: z.lines[i]!, cells: [] }, "type"),
            column,
          }));
          if (problems.length) p.add(problems);
          r.out.give(z.id, DNS, z.recs);
        }
      },
    };
  },
  dns_ignore(r) {
    const { p, out } = r;
    return {
      row(row) {
        const raw = rowFields(r, row, ["ignore_host", "ignore_type"] as const, "ignore_host");
        const rules = validateIgnoreRules([
          {
            fields: { host: raw.fields.ignore_host, type: raw.fields.ignore_type },
            at: (k) => raw.at(k && `ignore_${k}`),
          },
        ]);
        p.add(rules.problems);
        if (!rules.value?.length) return;
        // A domain of `*` (or none) gives the rule to every domain.
        const name = r.cell(row, "domain");
        if (name === "*" || name === "") {
          out.ignoreAll(rules.value);
          return;
        }
        const d = r.domainOf(row);
        if (d) out.give(d, DNS_IGNORE, rules.value);
      },
      end() {},
    };
  },
  registrant(r) {
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        const raw = rowFields(r, row, REGISTRANT_FIELDS, "domain");
        if (Object.keys(raw.fields).length === 0) return;
        if (!r.claim(d, "registrant", row, "domain")) return;
        r.give(REGISTRANT, raw, d);
      },
      end() {},
    };
  },
  owners(r) {
    const { p, out } = r;
    return {
      row(row) {
        const name = r.cell(row, "owner");
        if (!name) {
          p.error(r.at(row, "owner"), "owner is empty: every row names its profile");
          return;
        }
        const twice = out.ownerNamed(name, r.at(row, "owner"));
        if (twice) {
          p.add([twice]);
          return;
        }
        const o: Owner = {};
        for (const k of OWNER_FIELDS) {
          const v = r.cell(row, k);
          if (!v) continue;
          o[k] = f.contactField(k, v, r.at(row, k), p);
        }
        f.checkOwnerComplete(o, `owner "${name}"`, (k) => r.at(row, k), p);
        f.checkPostcode(o.postcode, o.country, r.at(row, "postcode"), p);
        const extras = f.purchaseExtras(
          (k) => r.cell(row, k),
          (k) => r.at(row, k),
          r.p,
        );
        out.owner(name, o, extras);
      },
      end() {},
    };
  },
  lifecycle(r) {
    const { p } = r;
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        const op = r.cell(row, "operation").toLowerCase();
        if (op !== "register" && op !== "transfer") {
          p.error(
            r.at(row, "operation"),
            `operation "${r.cell(row, "operation")}" is not known; valid: register, transfer`,
          );
          return;
        }
        const raw = rowFields(r, row, PURCHASE_KEYS, "operation");
        // In a table, an empty years cell is one year.
        raw.fields.years ??= "1";
        if (!r.claim(d, "lifecycle", row, "operation")) return;
        r.give(op === "register" ? REGISTER : TRANSFER, raw, d);
      },
      end() {},
    };
  },
};
