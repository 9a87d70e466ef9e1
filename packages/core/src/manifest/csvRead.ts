/**
 * Reads CSV manifests as spreadsheets write them: the kind of file known by its header row, the
 * delimiter sniffed among `,` `;` and tab, UTF-8 with or without BOM or else Windows-1252, CRLF,
 * quoted cells with newlines. An empty cell means "not managed", never "clear".
 */
import { isUtf8 } from "node:buffer";
import { parse } from "csv-parse";
import { OWNER_FIELDS, REGISTRANT_FIELDS, type DnsRecord, type Owner, type Registrant } from "../client/types.js";
import * as f from "./fields.js";
import type { DesiredDomain, Manifest, SourceRef } from "./model.js";
import { normalizeForwarding, normalizeRegistrant } from "./normalize.js";
import { didYouMean, type Problems } from "./problems.js";

export const CSV_KINDS = {
  domains: ["domain", "ns1", "ns2", "ns3", "ns4", "ns5", "lock", "autorenew", "expires_not_before", "state", "status", "expires"],
  dns: ["domain", "host", "type", "address", "priority"],
  forwarding: ["domain", "prefix", "to"],
  registrant: ["domain", ...REGISTRANT_FIELDS],
  owners: ["owner", ...OWNER_FIELDS],
  lifecycle: ["domain", "operation", "years", "owner", "authcode"],
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
    p.warn({ file }, "not UTF-8: read as Windows-1252 (as Excel saves \"CSV\" on Windows); save as \"CSV UTF-8\" to avoid this");
    return new TextDecoder("windows-1252").decode(b);
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

const colName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : colName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

/** One data row: its first line in the file and its raw cells, read through the header's index. */
interface Row {
  line: number;
  cells: string[];
  idx: Record<string, number>;
}

/**
 * Reads one CSV file into the manifest, row by row as the parser yields them (no record array).
 * The streaming parser is about three times faster than the sync one with per-record info, so
 * lines are counted here: a record starts one line after the previous one's last line break.
 */
export async function readCsvManifest(bytes: Uint8Array, file: string, p: Problems, into: Manifest, claims: Claims): Promise<void> {
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
  let idx: Record<string, number> = {};
  let sink: RowSink | undefined;
  let nextLine = 1;
  const onRecord = (record: string[]): void => {
    const line = nextLine;
    nextLine += 1;
    for (const c of record) if (c.includes("\n")) nextLine += c.split("\n").length - 1;
    if (!header) {
      if (record.length === 1 && record[0] === "") return;
      header = record.map((h) => h.trim().toLowerCase().replace(/\s+/g, "_"));
      idx = Object.fromEntries(header.map((h, i) => [h, i]));
      sink = startKind(header, idx, file, p, into, claims);
      return;
    }
    if (!sink) return;
    let empty = true;
    for (let i = 0; i < record.length; i++) {
      const cell = record[i]!;
      if (cell === "") continue;
      if (i >= header.length) {
        if (cell.trim() !== "") p.error({ file, line, column: i + 1 }, `cell ${colName(i)}${line} has no header; the header has ${header.length} columns`);
        continue;
      }
      if (cell.length > MAX_CELL) {
        p.error({ file, line, column: i + 1 }, `cell is ${cell.length} characters long; at most ${MAX_CELL}`);
        record[i] = "";
        continue;
      }
      if (empty && cell.trim() !== "") empty = false;
    }
    if (!empty) sink.row({ line, cells: record, idx });
  };
  const ok = await new Promise<boolean>((resolve) => {
    const parser = parse({ delimiter: sniffDelimiter(head), bom: true, relax_column_count: true, max_record_size: MAX_CELL * 4 });
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

interface RowSink {
  row(row: Row): void;
  end(): void;
}

function startKind(header: string[], idx: Record<string, number>, file: string, p: Problems, into: Manifest, claims: Claims): RowSink | undefined {
  if (header.length > MAX_COLUMNS) {
    p.error({ file, line: 1 }, `${header.length} columns in the header: at most ${MAX_COLUMNS}`);
    return undefined;
  }
  const kind = csvKind(header);
  if (!kind) {
    p.error({ file, line: 1 }, `cannot tell what this CSV holds from its header (${header.join(", ")}); expected one of: ${Object.entries(CSV_KINDS).map(([k, cols]) => `${k} (${cols.slice(0, 5).join(",")}…)`).join("; ")}`);
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
  return bad ? undefined : READERS[kind](file, p, into, claims, idx);
}

type Reader = (file: string, p: Problems, into: Manifest, claims: Claims, idx: Record<string, number>) => RowSink;

const at = (file: string, row: Row, key: string): SourceRef => ({ file, line: row.line, column: (row.idx[key] ?? 0) + 1 });
function cell(row: Row, key: string): string {
  const i = row.idx[key];
  if (i === undefined) return "";
  const v = row.cells[i];
  return v === undefined || v === "" ? "" : unneutralize(v.trim());
}

/** The domain a row is about; created on first mention. Each section may come from one file only. */
function domainOf(row: Row, file: string, p: Problems, into: Manifest): DesiredDomain | undefined {
  const raw = cell(row, "domain");
  if (!raw) {
    p.error(at(file, row, "domain"), "domain is empty: every row names its domain");
    return undefined;
  }
  const id = f.domainName(raw, at(file, row, "domain"), p);
  if (!id) return undefined;
  let d = into.domains.get(id.ace);
  if (!d) {
    d = { name: id.ace, display: id.display, source: at(file, row, "domain") };
    into.domains.set(id.ace, d);
  }
  return d;
}

/** First place each section of each domain was given: section, then domain (no key strings to build). */
export type Claims = Map<string, Map<string, SourceRef>>;

/** Refuses the same section of a domain given in two files (or twice in a one-row-per-domain file). */
function claim(d: DesiredDomain, section: string, refOf: () => SourceRef, p: Problems, claims: Claims): boolean {
  let bySection = claims.get(section);
  if (!bySection) claims.set(section, (bySection = new Map()));
  const first = bySection.get(d.name);
  if (!first) {
    bySection.set(d.name, refOf());
    return true;
  }
  const ref = refOf();
  // dns and forwarding span many rows of one file; every other section is one cell or one row.
  if (first.file === ref.file && (section === "dns" || section === "forwarding")) return true;
  p.error(ref, `the ${section} of ${d.display} is already given at ${first.file}:${first.line}; give each section of a domain once`);
  return false;
}

/** Rows of one domain usually stand together: remember the last one to skip re-parsing its name. */
function domainCache(file: string, p: Problems, into: Manifest): (row: Row) => DesiredDomain | undefined {
  let lastRaw: string | undefined;
  let last: DesiredDomain | undefined;
  return (row) => {
    const raw = cell(row, "domain");
    if (raw !== "" && raw === lastRaw) return last;
    lastRaw = raw;
    last = domainOf(row, file, p, into);
    return last;
  };
}

const READERS: Record<CsvKind, Reader> = {
  domains(file, p, into, claims) {
    const inFile = new Map<string, number>();
    return {
      row(row) {
        const d = domainOf(row, file, p, into);
        if (!d) return;
        const prev = inFile.get(d.name);
        if (prev !== undefined) {
          p.error(at(file, row, "domain"), `${d.display} is listed twice in this file (first on line ${prev})`);
          return;
        }
        inFile.set(d.name, row.line);
        const ns: string[] = [];
        for (let i = 1; i <= 5; i++) {
          const v = cell(row, `ns${i}`);
          if (v) {
            const h = f.hostname(v, at(file, row, `ns${i}`), p, `ns${i}`);
            if (h) ns.push(h);
          }
        }
        if (ns.length > 0 && claim(d, "nameservers", () => at(file, row, "ns1"), p, claims)) {
          d.nameservers = ns;
          if (ns.length < 2) p.warn(at(file, row, "ns1"), "only one nameserver: most registries want at least two");
          if (new Set(ns).size !== ns.length) p.error(at(file, row, "ns1"), "the same nameserver is listed twice");
        }
        for (const key of ["lock", "autorenew"] as const) {
          const b = f.bool(cell(row, key), at(file, row, key), p, key);
          if (b !== undefined && claim(d, key, () => at(file, row, key), p, claims)) d[key] = b;
        }
        const exp = cell(row, "expires_not_before");
        if (exp) {
          const v = f.date(exp, at(file, row, "expires_not_before"), p, "expires_not_before");
          if (v && claim(d, "expires_not_before", () => at(file, row, "expires_not_before"), p, claims)) d.expiresNotBefore = v;
        }
        const state = cell(row, "state");
        if (state) {
          if (state.toLowerCase() !== "deleted") p.error(at(file, row, "state"), `state "${state}" is not known; valid: deleted (or empty)`);
          else if (claim(d, "state", () => at(file, row, "state"), p, claims)) d.state = "deleted";
        }
        const status = cell(row, "status");
        const expires = cell(row, "expires");
        if (status || expires) d.info = { ...d.info, ...(status ? { status } : {}), ...(expires ? { expires } : {}) };
      },
      end() {},
    };
  },
  dns(file, p, into, claims, idx) {
    // Line numbers beside the records, so that errors found zone-wide can still name their line.
    const zones = new Map<string, { d: DesiredDomain; recs: DnsRecord[]; lines: number[] }>();
    const domainFor = domainCache(file, p, into);
    return {
      row(row) {
        const d = domainFor(row);
        if (!d) return;
        let z = zones.get(d.name);
        if (!z) {
          if (!claim(d, "dns", () => at(file, row, "domain"), p, claims)) return;
          z = { d, recs: [], lines: [] };
          zones.set(d.name, z);
        }
        const type = cell(row, "type");
        const address = cell(row, "address");
        const host = cell(row, "host");
        const priority = cell(row, "priority");
        // A row with only the domain says "this zone is managed and empty".
        if (!type && !address && !host && !priority) return;
        const rec = f.dnsRecord({ host: host || "@", type, address, priority }, d.name, (k) => at(file, row, k), p);
        if (rec) {
          z.recs.push(rec);
          z.lines.push(row.line);
        }
      },
      end() {
        const column = (idx.type ?? 0) + 1;
        for (const z of zones.values()) {
          f.checkZone(z.recs, (i) => ({ file, line: z.lines[i]!, column }), p);
          z.d.dns = z.recs;
        }
      },
    };
  },
  forwarding(file, p, into, claims) {
    const lists = new Map<string, { d: DesiredDomain; prefixes: Set<string> }>();
    return {
      row(row) {
        const d = domainOf(row, file, p, into);
        if (!d) return;
        let l = lists.get(d.name);
        if (!l) {
          if (!claim(d, "forwarding", () => at(file, row, "domain"), p, claims)) return;
          l = { d, prefixes: new Set() };
          lists.set(d.name, l);
          d.forwarding = [];
        }
        const prefix = cell(row, "prefix");
        const to = cell(row, "to");
        if (!prefix && !to) return;
        if (!/^[a-z0-9._+-]{1,64}$/i.test(prefix)) {
          p.error(at(file, row, "prefix"), `forwarding prefix "${prefix}" must be the part before @ (a-z, 0-9, . _ + -)`);
          return;
        }
        const email = f.email(to, at(file, row, "to"), p, "forwarding to");
        if (!email) return;
        const fw = normalizeForwarding({ prefix, to: email });
        if (l.prefixes.has(fw.prefix)) p.error(at(file, row, "prefix"), `forwarding prefix "${prefix}" is given twice for ${d.display}`);
        l.prefixes.add(fw.prefix);
        d.forwarding!.push(fw);
      },
      end() {},
    };
  },
  registrant(file, p, into, claims) {
    return {
      row(row) {
        const d = domainOf(row, file, p, into);
        if (!d) return;
        const r: Registrant = {};
        for (const k of REGISTRANT_FIELDS) {
          const v = cell(row, k);
          if (v === "") continue;
          r[k] = f.contactField(k, v, at(file, row, k), p);
        }
        if (Object.keys(r).length === 0) return;
        if (!claim(d, "registrant", () => at(file, row, "domain"), p, claims)) return;
        d.registrant = normalizeRegistrant(r);
      },
      end() {},
    };
  },
  owners(file, p, into) {
    return {
      row(row) {
        const name = cell(row, "owner");
        if (!name) {
          p.error(at(file, row, "owner"), "owner is empty: every row names its profile");
          return;
        }
        if (into.owners[name]) {
          p.error(at(file, row, "owner"), `owner "${name}" is defined twice`);
          return;
        }
        const o: Owner = {};
        for (const k of OWNER_FIELDS) {
          const v = cell(row, k);
          if (!v) continue;
          o[k] = f.contactField(k, v, at(file, row, k), p);
        }
        for (const req of ["firstname", "lastname", "address1", "city", "postcode", "country", "phone", "email"] as const) {
          if (!o[req]) p.error(at(file, row, req), `owner "${name}" is missing ${req} (RegisterDomain and TransferDomain need it)`);
        }
        into.owners[name] = o;
      },
      end() {},
    };
  },
  lifecycle(file, p, into, claims) {
    return {
      row(row) {
        const d = domainOf(row, file, p, into);
        if (!d) return;
        const op = cell(row, "operation").toLowerCase();
        if (op !== "register" && op !== "transfer") {
          p.error(at(file, row, "operation"), `operation "${cell(row, "operation")}" is not known; valid: register, transfer`);
          return;
        }
        const y = f.years(cell(row, "years") || "1", at(file, row, "years"), p);
        const owner = cell(row, "owner");
        if (!owner) p.error(at(file, row, "owner"), `${op} needs owner: the name of a profile in the owners CSV`);
        if (op === "register" && cell(row, "authcode")) p.error(at(file, row, "authcode"), "an authcode is only for transfer");
        if (y === undefined || !owner) return;
        if (!claim(d, "lifecycle", () => at(file, row, "operation"), p, claims)) return;
        const authcode = cell(row, "authcode");
        if (op === "register") d.register = { years: y, owner };
        else d.transfer = { years: y, owner, ...(authcode ? { authcode } : {}) };
        (d as { ownerRef?: SourceRef }).ownerRef = at(file, row, "owner");
      },
      end() {},
    };
  },
};
