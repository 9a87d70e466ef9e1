/**
 * The kinds of table a portfolio is written in (domains, dns, forwarding, registrant, owners,
 * lifecycle, dns_ignore), each known by its header row, and the readers that turn their rows into
 * the manifest. CSV files and the sheets of an XLSX workbook both arrive here as rows of text cells.
 */
import { type DnsRecord, InternalError, OWNER_FIELDS, type Owner, REGISTRANT_FIELDS } from "@regdom/core/data";
import * as f from "./fields.js";
import {
  type DesiredDomain,
  givenEarlier,
  type Manifest,
  PURCHASE_EXTRAS,
  type SourceRef,
  sectionGiven,
} from "./model.js";
import { formatPlace } from "./place.js";
import { didYouMean, type Problems } from "./problems.js";
import { RECORD_KEYS, type RecordField, validateRecord, validateZone } from "./sections/dns.js";
import { assignIgnoreRules, validateIgnoreRules } from "./sections/dnsIgnore.js";
import {
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
import type { Located, LocatedFields } from "./sections/located.js";
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

/** The rows' sink for a table with this header, or undefined (with the problems said) when it is not one. */
export function startTable(
  header: string[],
  place: TablePlace,
  p: Problems,
  into: Manifest,
  claims: Claims,
): RowSink | undefined {
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
  return read(new TableReader(place, p, into, claims, header));
}

/** A DNS zone being read from one table, with each record's line for errors found zone-wide. */
interface Zone {
  table: string;
  d: DesiredDomain;
  recs: DnsRecord[];
  lines: number[];
}

/** The sections a CSV row can give, plus the row itself of a domains file (one per file). */
type Claimable = "domainsRow" | SectionName;

/**
 * What reading has noted about one domain during one load: where each section was first given,
 * and the zone and forwarding list being read.
 */
class ReadState {
  readonly given: Partial<Record<Claimable, SourceRef>> = {};
  zone: Zone | undefined = undefined;
  /** The rows a table of a rows section (forwarding) gives this domain, by section. */
  lists: Partial<Record<SectionName, RowsList>> | undefined = undefined;
}

/** A domain's rows of one section in one table, validated together when the table ends. */
interface RowsList {
  table: string;
  d: DesiredDomain;
  rows: LocatedFields[];
}

/**
 * What the files of one load share: the reading notes of each domain, and domain names as written
 * (in Unicode, say) that were already checked, so that each is checked once.
 */
export class Claims {
  readonly spelled = new Map<string, DesiredDomain>();
  readonly #notes = new Map<DesiredDomain, ReadState>();

  stateOf(d: DesiredDomain): ReadState {
    let state = this.#notes.get(d);
    if (!state) {
      state = new ReadState();
      this.#notes.set(d, state);
    }
    return state;
  }
}

/** Reads the cells of one table's rows through its header, and says where a cell is. */
class TableReader {
  private readonly idx: Record<string, number>;
  private readonly domainCol: number;
  #rowRef: SourceRef | undefined;

  readonly file: string;
  readonly sheet: string | undefined;
  /** Names this table among all read in one load: the file, and the sheet in a workbook. */
  readonly table: string;

  constructor(
    place: TablePlace,
    readonly p: Problems,
    readonly into: Manifest,
    private readonly load: Claims,
    header: string[],
  ) {
    this.file = place.file;
    this.sheet = place.sheet;
    this.table = place.sheet === undefined ? place.file : `${place.file}\u0000${place.sheet}`;
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

  /** Whether a place is in this table. */
  holds(ref: SourceRef): boolean {
    return ref.file === this.file && ref.sheet === this.sheet;
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

  /** The domain a row is about; created on first mention. */
  domainOf(row: Row, raw = this.domainCell(row)): DesiredDomain | undefined {
    if (!raw) {
      this.p.error(this.at(row, "domain"), "domain is empty: every row names its domain");
      return undefined;
    }
    // A name that is already an ACE key, or was written this way before, was checked then.
    const known = this.into.domains.get(raw) ?? this.load.spelled.get(raw);
    if (known) return known;
    const id = f.domainName(raw, this.at(row, "domain"), this.p);
    if (!id) return undefined;
    let d = raw === id.ace ? undefined : this.into.domains.get(id.ace);
    if (!d) {
      d = { name: id.ace, display: id.display, source: this.rowRef(row) };
      this.into.domains.set(id.ace, d);
    }
    if (raw !== id.ace) this.load.spelled.set(raw, d);
    return d;
  }

  stateOf(d: DesiredDomain): ReadState {
    return this.load.stateOf(d);
  }

  /**
   * Refuses the same section of a domain given in two files (or twice in a one-row-per-domain
   * file). dns and forwarding span many rows of one file; every other section is one cell or row.
   */
  claim(s: ReadState, d: DesiredDomain, section: Claimable, row: Row, key: string): boolean {
    const first = s.given[section];
    if (!first) {
      // Not claimed by a CSV file, yet held: a YAML file gave it.
      if (sectionGiven(d, section)) {
        this.p.error(this.at(row, key), givenEarlier(d, section));
        return false;
      }
      s.given[section] = this.rowRef(row);
      return true;
    }
    if (this.holds(first) && (section === "dns" || TABLE_SECTIONS.some((t) => t.section === section))) return true;
    this.p.error(
      this.at(row, key),
      `the ${section} of ${d.display} is already given at ${rowPlace(first)}; give each section of a domain once`,
    );
    return false;
  }
}

/** A row's place: `file:line`, or `file.xlsx:Sheet!A7` in a workbook. */
const rowPlace = (ref: SourceRef): string =>
  ref.sheet === undefined ? `${ref.file}:${ref.line}` : formatPlace({ ...ref, column: 1 });

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
    const lists: RowsList[] = [];
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        const s = r.stateOf(d);
        s.lists ??= {};
        let l = s.lists[section.section];
        if (l?.table !== r.table) {
          if (!r.claim(s, d, section.section, row, "domain")) return;
          l = s.lists[section.section] = { table: r.table, d, rows: [] };
          lists.push(l);
        }
        const raw = rowFields(r, row, keys, keys[0] ?? "domain");
        // A row with only the domain says "managed, and empty".
        if (Object.keys(raw.fields).length > 0) l.rows.push(raw);
      },
      end() {
        for (const l of lists) r.p.add(section.read(l.rows, l.d, l.d));
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
        const c = r.stateOf(d);
        // A domain may have rows in several domains files (one section each), but one per file.
        const prev = c.given.domainsRow;
        if (prev && r.holds(prev)) {
          p.error(r.at(row, "domain"), `${d.display} is listed twice in this file (first on line ${prev.line})`);
          return;
        }
        c.given.domainsRow = r.rowRef(row);
        const items: Located[] = [];
        for (let i = 0; i < 5; i++) {
          const v = r.get(row, nsCols[i]!);
          if (v) items.push({ value: v, at: r.at(row, nsKeys[i]!) });
        }
        if (items.length > 0 && r.claim(c, d, "nameservers", row, "ns1"))
          p.add(NAMESERVERS.read({ items, at: items[0]!.at }, d, d));
        for (const [section, col] of scalars) {
          const v = r.get(row, col);
          if (v && r.claim(c, d, section.section, row, section.key))
            p.add(section.read({ value: v, at: r.at(row, section.key) }, d, d));
        }
        const status = r.get(row, statusCol);
        const expires = r.get(row, expiresCol);
        const eppcode = r.get(row, eppCol);
        const dnssec = r.get(row, dnssecCol);
        // Read-only facts an export wrote (bulk ignores them): kept so the export reads back whole.
        if (status || expires || eppcode || dnssec)
          d.info = {
            ...d.info,
            ...(status ? { status } : {}),
            ...(expires ? { expires } : {}),
            ...(eppcode ? { eppcode } : {}),
            ...(dnssec ? { dnssec } : {}),
          };
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
    const zones: Zone[] = [];
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
      const s = r.stateOf(d);
      if (s.zone?.table !== r.table) {
        if (!r.claim(s, d, "dns", row, "domain")) return undefined;
        s.zone = { table: r.table, d, recs: [], lines: [] };
        zones.push(s.zone);
      }
      return (last = s.zone);
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
        const { value, problems } = validateRecord(raw, z.d);
        if (problems.length) p.add(problems);
        if (value) {
          runRecs.push(value);
          runLines.push(row.line);
        }
      },
      end() {
        endRun();
        const column = typeCol + 1;
        for (const z of zones) {
          const { problems } = validateZone(z.recs, (i) => ({
            ...r.at({ line: z.lines[i]!, cells: [] }, "type"),
            column,
          }));
          if (problems.length) p.add(problems);
          z.d.dns = z.recs;
        }
      },
    };
  },
  dns_ignore(r) {
    const { p, into } = r;
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
          into.dnsIgnore.push(...rules.value);
          return;
        }
        const d = r.domainOf(row);
        if (d) assignIgnoreRules(d, rules.value);
      },
      end() {},
    };
  },
  registrant(r) {
    const { p } = r;
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        const raw = rowFields(r, row, REGISTRANT_FIELDS, "domain");
        if (Object.keys(raw.fields).length === 0) return;
        if (!r.claim(r.stateOf(d), d, "registrant", row, "domain")) return;
        p.add(REGISTRANT.read(raw, d, d));
      },
      end() {},
    };
  },
  owners(r) {
    const { p, into } = r;
    return {
      row(row) {
        const name = r.cell(row, "owner");
        if (!name) {
          p.error(r.at(row, "owner"), "owner is empty: every row names its profile");
          return;
        }
        if (into.owners[name]) {
          p.error(r.at(row, "owner"), `owner "${name}" is defined twice`);
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
        into.owners[name] = o;
        const extras = f.purchaseExtras(
          (k) => r.cell(row, k),
          (k) => r.at(row, k),
          r.p,
        );
        if (Object.keys(extras).length) into.ownerExtras[name] = extras;
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
        if (!r.claim(r.stateOf(d), d, "lifecycle", row, "operation")) return;
        p.add((op === "register" ? REGISTER : TRANSFER).read(raw, d, d));
      },
      end() {},
    };
  },
};
