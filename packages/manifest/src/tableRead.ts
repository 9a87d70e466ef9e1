/**
 * The kinds of table a portfolio is written in (domains, dns, forwarding, registrant, owners,
 * lifecycle, dns_ignore), each known by its header row, and the readers that turn their rows into
 * the manifest. CSV files and the sheets of an XLSX workbook both arrive here as rows of text cells.
 */
import {
  type DnsRecord,
  formatPlace,
  OWNER_FIELDS,
  type Owner,
  REGISTRANT_FIELDS,
  type Registrant,
} from "@regdom/core/data";
import * as f from "./fields.js";
import {
  type DesiredDomain,
  givenEarlier,
  type Manifest,
  PURCHASE_EXTRAS,
  type SECTION_FIELDS,
  type SourceRef,
  sectionGiven,
} from "./model.js";
import { normalizeForwarding, normalizeRegistrant } from "./normalize.js";
import { didYouMean, type Problems } from "./problems.js";

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
  forwarding: ["domain", "prefix", "to"],
  registrant: ["domain", ...REGISTRANT_FIELDS],
  owners: ["owner", ...OWNER_FIELDS, ...PURCHASE_EXTRAS],
  lifecycle: ["domain", "operation", "years", "owner", "authcode", ...PURCHASE_EXTRAS],
  dns_ignore: ["domain", "ignore_host", "ignore_type"],
} as const;
export type TableKind = keyof typeof TABLE_KINDS;

export const MAX_COLUMNS = 64;
export const MAX_CELL = 64 * 1024;

/** Which kind of CSV a header row is, by its distinctive columns. */
export function tableKind(header: string[]): TableKind | undefined {
  const h = new Set(header);
  if (h.has("owner") && h.has("firstname")) return "owners";
  if (!h.has("domain")) return undefined;
  if (h.has("type") && h.has("address")) return "dns";
  if (h.has("prefix") && h.has("to")) return "forwarding";
  if (h.has("operation")) return "lifecycle";
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
  const allowed = TABLE_KINDS[kind] as readonly string[];
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
  return bad ? undefined : READERS[kind](new TableReader(place, p, into, claims, header));
}

/** A DNS zone being read from one table, with each record's line for errors found zone-wide. */
interface Zone {
  table: string;
  d: DesiredDomain;
  recs: DnsRecord[];
  lines: number[];
}

/** The sections a CSV row can give, plus the row itself of a domains file (one per file). */
type Claimable = "domainsRow" | (typeof SECTION_FIELDS)[number][0];

/**
 * What reading has noted about one domain during one load: where each section was first given,
 * and the zone and forwarding list being read. Fixed fields, so that 100k of them stay small.
 */
class ReadState implements Record<Claimable, SourceRef | undefined> {
  domainsRow: SourceRef | undefined = undefined;
  nameservers: SourceRef | undefined = undefined;
  lock: SourceRef | undefined = undefined;
  autorenew: SourceRef | undefined = undefined;
  idprotection: SourceRef | undefined = undefined;
  expires_not_before: SourceRef | undefined = undefined;
  state: SourceRef | undefined = undefined;
  dns: SourceRef | undefined = undefined;
  forwarding: SourceRef | undefined = undefined;
  dns_ignore: SourceRef | undefined = undefined;
  registrant: SourceRef | undefined = undefined;
  lifecycle: SourceRef | undefined = undefined;
  zone: Zone | undefined = undefined;
  forwardingList: { table: string; prefixes: Set<string> } | undefined = undefined;
  constructor(readonly load: Claims) {}
}

/**
 * Reading notes are kept on the domain object itself, under a symbol and not enumerable (so they
 * never show in output or comparisons): a map keyed by domain name would cost a hash lookup per
 * row, and those lookups were a fifth of the time to read a 100k-domain portfolio.
 */
const READ = Symbol("regdom.csvRead");
type Noted = DesiredDomain & { [READ]?: ReadState };

/**
 * What the files of one load share: the reading notes of each domain belong to one `Claims`, and
 * domain names as written (in Unicode, say) that were already checked, so that each is checked once.
 */
export class Claims {
  readonly spelled = new Map<string, DesiredDomain>();

  stateOf(d: DesiredDomain): ReadState {
    const noted = (d as Noted)[READ];
    if (noted?.load === this) return noted;
    const state = new ReadState(this);
    Object.defineProperty(d, READ, { value: state, writable: true, enumerable: false, configurable: true });
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
    const first = s[section];
    if (!first) {
      // Not claimed by a CSV file, yet held: a YAML file gave it.
      if (sectionGiven(d, section)) {
        this.p.error(this.at(row, key), givenEarlier(d, section));
        return false;
      }
      s[section] = this.rowRef(row);
      return true;
    }
    if (this.holds(first) && (section === "dns" || section === "forwarding")) return true;
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

const READERS: Record<TableKind, Reader> = {
  domains(r) {
    const { p } = r;
    const nsKeys = ["ns1", "ns2", "ns3", "ns4", "ns5"];
    const nsCols = nsKeys.map((k) => r.col(k));
    const flagCols = (["lock", "autorenew", "idprotection"] as const).map((key) => [key, r.col(key)] as const);
    const expCol = r.col("expires_not_before");
    const stateCol = r.col("state");
    const statusCol = r.col("status");
    const eppCol = r.col("eppcode");
    const expiresCol = r.col("expires");
    const dnssecCol = r.col("dnssec");
    const nsRun: string[] = [];
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        const c = r.stateOf(d);
        // A domain may have rows in several domains files (one section each), but one per file.
        const prev = c.domainsRow;
        if (prev && r.holds(prev)) {
          p.error(r.at(row, "domain"), `${d.display} is listed twice in this file (first on line ${prev.line})`);
          return;
        }
        c.domainsRow = r.rowRef(row);
        nsRun.length = 0;
        for (let i = 0; i < 5; i++) {
          const v = r.get(row, nsCols[i]!);
          if (!v) continue;
          const h = f.hostname(v, r.at(row, nsKeys[i]!), p, nsKeys[i]!);
          if (h) nsRun.push(h);
        }
        // Copied out exact-size: an array grown by push keeps room for 17.
        const ns = nsRun.length > 0 ? nsRun.slice() : undefined;
        if (ns && r.claim(c, d, "nameservers", row, "ns1")) {
          d.nameservers = ns;
          if (ns.length < 2) p.warn(r.at(row, "ns1"), "only one nameserver: most registries want at least two");
          if (new Set(ns).size !== ns.length) p.error(r.at(row, "ns1"), "the same nameserver is listed twice");
        }
        for (const [key, col] of flagCols) {
          const v = r.get(row, col);
          if (!v) continue;
          const b = f.bool(v, r.at(row, key), p, key);
          if (b !== undefined && r.claim(c, d, key, row, key)) d[key] = b;
        }
        const exp = r.get(row, expCol);
        if (exp) {
          const v = f.expiresNotBefore(exp, r.at(row, "expires_not_before"), p);
          if (v && r.claim(c, d, "expires_not_before", row, "expires_not_before")) d.expiresNotBefore = v;
        }
        const state = r.get(row, stateCol);
        if (state) {
          if (state.toLowerCase() !== "deleted")
            p.error(r.at(row, "state"), `state "${state}" is not known; valid: deleted (or empty)`);
          else if (r.claim(c, d, "state", row, "state")) d.state = "deleted";
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
    const [hostCol, typeCol, addressCol, priorityCol] = ["host", "type", "address", "priority"].map((k) =>
      r.col(k),
    ) as [number, number, number, number];
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
        const rec = f.dnsRecord({ host: host || "@", type, address, priority }, z.d.name, (k) => r.at(row, k), p);
        if (rec) {
          runRecs.push(rec);
          runLines.push(row.line);
        }
      },
      end() {
        endRun();
        const column = typeCol + 1;
        for (const z of zones) {
          f.checkZone(z.recs, (i) => ({ ...r.at({ line: z.lines[i]!, cells: [] }, "type"), column }), p);
          z.d.dns = z.recs;
        }
      },
    };
  },
  dns_ignore(r) {
    const { p, into } = r;
    return {
      row(row) {
        const rule = f.ignoreRule(r.cell(row, "ignore_host"), r.cell(row, "ignore_type"), r.at(row, "ignore_host"), p);
        if (!rule) return;
        // A domain of `*` (or none) gives the rule to every domain.
        const name = r.cell(row, "domain");
        if (name === "*" || name === "") {
          into.dnsIgnore.push(rule);
          return;
        }
        const d = r.domainOf(row);
        if (!d) return;
        d.dnsIgnore = [...(d.dnsIgnore ?? []), rule];
      },
      end() {},
    };
  },
  forwarding(r) {
    const { p } = r;
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        const s = r.stateOf(d);
        let l = s.forwardingList;
        if (l?.table !== r.table) {
          if (!r.claim(s, d, "forwarding", row, "domain")) return;
          l = s.forwardingList = { table: r.table, prefixes: new Set() };
          d.forwarding = [];
        }
        const prefix = r.cell(row, "prefix");
        const to = r.cell(row, "to");
        if (!prefix && !to) return;
        if (!f.forwardingPrefix(prefix, r.at(row, "prefix"), p)) return;
        const email = f.email(to, r.at(row, "to"), p, "forwarding to");
        if (!email) return;
        const fw = normalizeForwarding({ prefix, to: email });
        if (l.prefixes.has(fw.prefix))
          p.error(r.at(row, "prefix"), `forwarding prefix "${prefix}" is given twice for ${d.display}`);
        l.prefixes.add(fw.prefix);
        d.forwarding!.push(fw);
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
        const reg: Registrant = {};
        for (const k of REGISTRANT_FIELDS) {
          const v = r.cell(row, k);
          if (v === "") continue;
          reg[k] = f.contactField(k, v, r.at(row, k), p);
        }
        if (Object.keys(reg).length === 0) return;
        f.checkPostcode(reg.zip_code, reg.country, r.at(row, "zip_code"), p);
        if (!r.claim(r.stateOf(d), d, "registrant", row, "domain")) return;
        d.registrant = normalizeRegistrant(reg);
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
        const y = f.years(r.cell(row, "years") || "1", r.at(row, "years"), p);
        const owner = r.cell(row, "owner");
        if (!owner) p.error(r.at(row, "owner"), `${op} needs owner: the name of a profile in the owners CSV`);
        if (op === "register" && r.cell(row, "authcode"))
          p.error(r.at(row, "authcode"), "an authcode is only for transfer");
        if (y === undefined || !owner) return;
        if (!r.claim(r.stateOf(d), d, "lifecycle", row, "operation")) return;
        const authcode = r.cell(row, "authcode");
        const extras = f.purchaseExtras(
          (k) => r.cell(row, k),
          (k) => r.at(row, k),
          r.p,
        );
        if (op === "register") d.register = { years: y, owner, ...extras };
        else d.transfer = { years: y, owner, ...extras, ...(authcode ? { authcode } : {}) };
        (d as { ownerRef?: SourceRef }).ownerRef = r.at(row, "owner");
      },
      end() {},
    };
  },
};
