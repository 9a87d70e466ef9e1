/**
 * Reads CSV manifests as spreadsheets write them: the kind of file known by its header row, the
 * delimiter sniffed among `,` `;` and tab, UTF-8 with or without BOM or else Windows-1252, CRLF,
 * quoted cells with newlines. An empty cell means "not managed", never "clear".
 */
import { isUtf8 } from "node:buffer";
import { type DnsRecord, OWNER_FIELDS, type Owner, REGISTRANT_FIELDS, type Registrant } from "@regdom/core";
import { parse } from "csv-parse";
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
import { decodeWindows1252 } from "./windows1252.js";

export const CSV_KINDS = {
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
  ],
  dns: ["domain", "host", "type", "address", "priority"],
  forwarding: ["domain", "prefix", "to"],
  registrant: ["domain", ...REGISTRANT_FIELDS],
  owners: ["owner", ...OWNER_FIELDS, ...PURCHASE_EXTRAS],
  lifecycle: ["domain", "operation", "years", "owner", "authcode", ...PURCHASE_EXTRAS],
  dns_ignore: ["domain", "ignore_host", "ignore_type"],
} as const;
export type CsvKind = keyof typeof CSV_KINDS;

const MAX_COLUMNS = 64;
const MAX_CELL = 64 * 1024;

/** Which kind of CSV a header row is, by its distinctive columns. */
export function csvKind(header: string[]): CsvKind | undefined {
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

/** UTF-8 (BOM stripped), or Windows-1252 when the bytes are not UTF-8. */
export function decodeSpreadsheetBytes(bytes: Uint8Array, file: string, p: Problems): string {
  let b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    p.warn(
      { file },
      'not UTF-8: read as Windows-1252 (as Excel saves "CSV" on Windows); save as "CSV UTF-8" to avoid this',
    );
    return decodeWindows1252(b);
  }
}

export function sniffDelimiter(text: string): string {
  let firstLine = "";
  let quoted = false;
  for (let i = 0; i < text.length && i < 65536; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (!quoted && (c === "\n" || c === "\r")) break;
    firstLine += c;
  }
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ",";
}

/** A spreadsheet-safe cell: `'` before `= + - @` is how export neutralized a formula. */
export function unneutralize(cell: string): string {
  return /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}

const colName = (i: number): string =>
  i < 26 ? String.fromCharCode(65 + i) : colName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26));

/**
 * One data row: its first line in the file and its raw cells. A single object is reused from row
 * to row (sinks read it and keep nothing), since 500k short-lived rows are measurable garbage.
 */
interface Row {
  line: number;
  cells: string[];
}

/**
 * Reads one CSV file into the manifest, row by row as the parser yields them (no record array).
 * The streaming parser is about three times faster than the sync one with per-record info, so
 * lines are counted here: a record starts one line after the previous one's last line break.
 */
export async function readCsvManifest(
  bytes: Uint8Array,
  file: string,
  p: Problems,
  into: Manifest,
  claims: Claims,
): Promise<void> {
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(0)) {
    p.error({ file }, "contains NUL bytes: this is not a text CSV file");
    return;
  }
  // Valid UTF-8 goes to the parser as bytes: decoding to a string first only for the parser to
  // encode it again costs a tenth of the time on big files.
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const input: Buffer | string = isUtf8(raw) ? raw : decodeSpreadsheetBytes(bytes, file, p);
  const head = typeof input === "string" ? input.slice(0, 65536) : input.subarray(0, 65536).toString("utf8");
  let header: string[] | undefined;
  let sink: RowSink | undefined;
  let nextLine = 1;
  const row: Row = { line: 0, cells: [] };
  const onRecord = (record: string[]): void => {
    const line = nextLine;
    nextLine += 1;
    if (!header) {
      nextLine += newlinesIn(record);
      if (record.length === 1 && record[0] === "") return;
      header = record.map((h) => h.trim().toLowerCase().replace(/\s+/g, "_"));
      sink = startKind(header, new FileReader(file, p, into, claims, header), p);
      return;
    }
    let empty = true;
    for (let i = 0; i < record.length; i++) {
      const cell = record[i]!;
      if (cell === "") continue;
      if (cell.includes("\n")) nextLine += cell.split("\n").length - 1;
      if (i >= header.length) {
        if (cell.trim() !== "")
          p.error(
            { file, line, column: i + 1 },
            `cell ${colName(i)}${line} has no header; the header has ${header.length} columns`,
          );
        continue;
      }
      if (cell.length > MAX_CELL) {
        p.error({ file, line, column: i + 1 }, `cell is ${cell.length} characters long; at most ${MAX_CELL}`);
        record[i] = "";
        continue;
      }
      if (empty && cell.trim() !== "") empty = false;
    }
    if (empty || !sink) return;
    row.line = line;
    row.cells = record;
    sink.row(row);
  };
  const ok = await new Promise<boolean>((resolve) => {
    const parser = parse({
      delimiter: sniffDelimiter(head),
      bom: true,
      relax_column_count: true,
      max_record_size: MAX_CELL * 4,
    });
    parser.on("data", onRecord);
    parser.on("error", (e: Error & { lines?: number; code?: string }) => {
      const why =
        e.code === "CSV_MAX_RECORD_SIZE"
          ? `a row is larger than ${(MAX_CELL * 4) / 1024} kB (too many columns or a huge cell); at most ${MAX_COLUMNS} columns and ${MAX_CELL / 1024} kB per cell`
          : `not valid CSV: ${e.message.replace(/^Invalid (Record Length|Opening Quote): /, "")}`;
      p.error({ file, line: e.lines ?? nextLine }, why);
      resolve(false);
    });
    parser.on("end", () => resolve(true));
    parser.end(input);
  });
  if (!ok) return;
  if (!header) {
    p.error({ file, line: 1 }, "empty CSV file: expected a header row");
    return;
  }
  sink?.end();
}

function newlinesIn(record: string[]): number {
  let n = 0;
  for (const c of record) if (c.includes("\n")) n += c.split("\n").length - 1;
  return n;
}

interface RowSink {
  row(row: Row): void;
  end(): void;
}

function startKind(header: string[], r: FileReader, p: Problems): RowSink | undefined {
  const { file } = r;
  if (header.length > MAX_COLUMNS) {
    p.error({ file, line: 1 }, `${header.length} columns in the header: at most ${MAX_COLUMNS}`);
    return undefined;
  }
  const kind = csvKind(header);
  if (!kind) {
    p.error(
      { file, line: 1 },
      `cannot tell what this CSV holds from its header (${header.join(", ")}); expected one of: ${Object.entries(
        CSV_KINDS,
      )
        .map(([k, cols]) => `${k} (${cols.slice(0, 5).join(",")}…)`)
        .join("; ")}`,
    );
    return undefined;
  }
  const allowed = CSV_KINDS[kind] as readonly string[];
  let bad = false;
  header.forEach((h, i) => {
    if (!allowed.includes(h)) {
      bad = true;
      p.error({ file, line: 1, column: i + 1 }, `unknown column "${h}" in a ${kind} CSV${didYouMean(h, allowed)}`);
    }
  });
  return bad ? undefined : READERS[kind](r);
}

/** A DNS zone being read from one file, with each record's line for errors found zone-wide. */
interface Zone {
  file: string;
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
  expires_not_before: SourceRef | undefined = undefined;
  state: SourceRef | undefined = undefined;
  dns: SourceRef | undefined = undefined;
  forwarding: SourceRef | undefined = undefined;
  dns_ignore: SourceRef | undefined = undefined;
  registrant: SourceRef | undefined = undefined;
  lifecycle: SourceRef | undefined = undefined;
  zone: Zone | undefined = undefined;
  forwardingList: { file: string; prefixes: Set<string> } | undefined = undefined;
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

/** Reads the cells of one file's rows through its header, and says where a cell is. */
class FileReader {
  private readonly idx: Record<string, number>;
  private readonly domainCol: number;
  #rowRef: SourceRef | undefined;

  constructor(
    readonly file: string,
    readonly p: Problems,
    readonly into: Manifest,
    private readonly load: Claims,
    header: string[],
  ) {
    this.idx = Object.fromEntries(header.map((h, i) => [h, i]));
    this.domainCol = this.col("domain");
  }

  /** The index of a column, or -1 when the header does not have it. */
  col(key: string): number {
    return this.idx[key] ?? -1;
  }

  at(row: Row, key: string): SourceRef {
    return { file: this.file, line: row.line, column: (this.idx[key] ?? 0) + 1 };
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
    if (first.file === this.file && (section === "dns" || section === "forwarding")) return true;
    this.p.error(
      this.at(row, key),
      `the ${section} of ${d.display} is already given at ${first.file}:${first.line}; give each section of a domain once`,
    );
    return false;
  }
}

type Reader = (r: FileReader) => RowSink;

const READERS: Record<CsvKind, Reader> = {
  domains(r) {
    const { p, file } = r;
    const nsKeys = ["ns1", "ns2", "ns3", "ns4", "ns5"];
    const nsCols = nsKeys.map((k) => r.col(k));
    const flagCols = (["lock", "autorenew"] as const).map((key) => [key, r.col(key)] as const);
    const expCol = r.col("expires_not_before");
    const stateCol = r.col("state");
    const statusCol = r.col("status");
    const expiresCol = r.col("expires");
    const nsRun: string[] = [];
    return {
      row(row) {
        const d = r.domainOf(row);
        if (!d) return;
        const c = r.stateOf(d);
        // A domain may have rows in several domains files (one section each), but one per file.
        const prev = c.domainsRow;
        if (prev?.file === file) {
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
        if (status || expires) d.info = { ...d.info, ...(status ? { status } : {}), ...(expires ? { expires } : {}) };
      },
      end() {},
    };
  },
  dns(r) {
    const { p, file } = r;
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
      if (s.zone?.file !== file) {
        if (!r.claim(s, d, "dns", row, "domain")) return undefined;
        s.zone = { file, d, recs: [], lines: [] };
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
          f.checkZone(z.recs, (i) => ({ file, line: z.lines[i]!, column }), p);
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
        if (l?.file !== r.file) {
          if (!r.claim(s, d, "forwarding", row, "domain")) return;
          l = s.forwardingList = { file: r.file, prefixes: new Set() };
          d.forwarding = [];
        }
        const prefix = r.cell(row, "prefix");
        const to = r.cell(row, "to");
        if (!prefix && !to) return;
        if (!/^[a-z0-9._+-]{1,64}$/i.test(prefix)) {
          p.error(r.at(row, "prefix"), `forwarding prefix "${prefix}" must be the part before @ (a-z, 0-9, . _ + -)`);
          return;
        }
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
