/**
 * Reads CSV manifests as spreadsheets write them: the kind of file known by its header row, the
 * delimiter sniffed among `,` `;` and tab, UTF-8 with or without BOM or else Windows-1252, CRLF,
 * quoted cells with newlines. An empty cell means "not managed", never "clear".
 */
import { parse } from "csv-parse/sync";
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

interface Row {
  line: number;
  cells: Map<string, { value: string; column: number }>;
}

function rowsOf(text: string, file: string, p: Problems): { header: string[]; rows: Row[] } | undefined {
  if (text.includes("\u0000")) {
    p.error({ file }, "contains NUL bytes: this is not a text CSV file");
    return undefined;
  }
  const delimiter = sniffDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: MAX_CELL * 4,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as { lines?: number; message: string; code?: string };
    p.error({ file, line: err.lines ?? 1 }, `not valid CSV: ${err.message.replace(/^Invalid (Record Length|Opening Quote): /, "")}`);
    return undefined;
  }
  const first = records[0];
  if (!first) {
    p.error({ file, line: 1 }, "empty CSV file: expected a header row");
    return undefined;
  }
  const header = first.record.map((h) => h.trim().toLowerCase().replace(/\s+/g, "_"));
  if (header.length > MAX_COLUMNS) {
    p.error({ file, line: 1 }, `${header.length} columns in the header: at most ${MAX_COLUMNS}`);
    return undefined;
  }
  const rows: Row[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    // csv-parse counts the lines up to the end of the record; a record starts where the previous ended.
    const line = records[r - 1]!.info.lines + 1;
    if (record.every((c) => c.trim() === "")) continue;
    const cells = new Map<string, { value: string; column: number }>();
    record.forEach((raw, i) => {
      const key = header[i];
      if (key === undefined) {
        if (raw.trim() !== "") p.error({ file, line, column: i + 1 }, `cell ${colName(i)}${line} has no header; the header has ${header.length} columns`);
        return;
      }
      if (raw.length > MAX_CELL) {
        p.error({ file, line, column: i + 1 }, `cell is ${raw.length} characters long; at most ${MAX_CELL}`);
        return;
      }
      cells.set(key, { value: unneutralize(raw.trim()), column: i + 1 });
    });
    void info;
    rows.push({ line, cells });
  }
  return { header, rows };
}

/** Reads one CSV file into the manifest. */
export function readCsvManifest(bytes: Uint8Array, file: string, p: Problems, into: Manifest, claims: Claims): void {
  const text = decodeSpreadsheetBytes(bytes, file, p);
  const parsed = rowsOf(text, file, p);
  if (!parsed) return;
  const kind = csvKind(parsed.header);
  if (!kind) {
    p.error({ file, line: 1 }, `cannot tell what this CSV holds from its header (${parsed.header.join(", ")}); expected one of: ${Object.entries(CSV_KINDS).map(([k, cols]) => `${k} (${cols.slice(0, 5).join(",")}…)`).join("; ")}`);
    return;
  }
  const allowed = CSV_KINDS[kind] as readonly string[];
  parsed.header.forEach((h, i) => {
    if (!allowed.includes(h)) p.error({ file, line: 1, column: i + 1 }, `unknown column "${h}" in a ${kind} CSV${didYouMean(h, allowed)}`);
  });
  if (!p.ok && p.errors.some((e) => e.file === file && e.line === 1)) return;
  const reader = READERS[kind];
  reader(parsed.rows, file, p, into, claims);
}

type Reader = (rows: Row[], file: string, p: Problems, into: Manifest, claims: Claims) => void;

const at = (file: string, row: Row, key: string): SourceRef => ({ file, line: row.line, column: row.cells.get(key)?.column ?? 1 });
const cell = (row: Row, key: string): string => row.cells.get(key)?.value ?? "";

/** The domain a row is about; created on first mention. Each section may come from one file only. */
function domainOf(row: Row, file: string, p: Problems, into: Manifest): DesiredDomain | undefined {
  const raw = cell(row, "domain");
  const ref = at(file, row, "domain");
  if (!raw) {
    p.error(ref, "domain is empty: every row names its domain");
    return undefined;
  }
  const id = f.domainName(raw, ref, p);
  if (!id) return undefined;
  let d = into.domains.get(id.ace);
  if (!d) {
    d = { name: id.ace, display: id.display, source: ref };
    into.domains.set(id.ace, d);
  }
  return d;
}

/** Refuses the same section of a domain given in two files (or twice in a one-row-per-domain file). */
export type Claims = Map<string, SourceRef>;

function claim(d: DesiredDomain, section: string, ref: SourceRef, p: Problems, claims: Claims): boolean {
  const key = `${d.name}\u0000${section}`;
  const first = claims.get(key);
  // dns and forwarding span many rows of one file; every other section is one cell or one row.
  if (first && first.file === ref.file && (section === "dns" || section === "forwarding")) return true;
  if (first) {
    p.error(ref, `the ${section} of ${d.display} is already given at ${first.file}:${first.line}; give each section of a domain once`);
    return false;
  }
  claims.set(key, ref);
  return true;
}

const READERS: Record<CsvKind, Reader> = {
  domains(rows, file, p, into, claims) {
    const inFile = new Map<string, number>();
    for (const row of rows) {
      const d = domainOf(row, file, p, into);
      if (!d) continue;
      const prev = inFile.get(d.name);
      if (prev !== undefined) {
        p.error(at(file, row, "domain"), `${d.display} is listed twice in this file (first on line ${prev})`);
        continue;
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
      if (ns.length > 0 && claim(d, "nameservers", at(file, row, "ns1"), p, claims)) {
        d.nameservers = ns;
        if (ns.length < 2) p.warn(at(file, row, "ns1"), "only one nameserver: most registries want at least two");
        if (new Set(ns).size !== ns.length) p.error(at(file, row, "ns1"), "the same nameserver is listed twice");
      }
      for (const key of ["lock", "autorenew"] as const) {
        const b = f.bool(cell(row, key), at(file, row, key), p, key);
        if (b !== undefined && claim(d, key, at(file, row, key), p, claims)) d[key] = b;
      }
      const exp = cell(row, "expires_not_before");
      if (exp) {
        const v = f.date(exp, at(file, row, "expires_not_before"), p, "expires_not_before");
        if (v && claim(d, "expires_not_before", at(file, row, "expires_not_before"), p, claims)) d.expiresNotBefore = v;
      }
      const state = cell(row, "state");
      if (state) {
        if (state.toLowerCase() !== "deleted") p.error(at(file, row, "state"), `state "${state}" is not known; valid: deleted (or empty)`);
        else if (claim(d, "state", at(file, row, "state"), p, claims)) d.state = "deleted";
      }
      const status = cell(row, "status");
      const expires = cell(row, "expires");
      if (status || expires) d.info = { ...d.info, ...(status ? { status } : {}), ...(expires ? { expires } : {}) };
    }
  },
  dns(rows, file, p, into, claims) {
    const zones = new Map<string, { d: DesiredDomain; recs: { rec: DnsRecord; ref: SourceRef }[] }>();
    for (const row of rows) {
      const d = domainOf(row, file, p, into);
      if (!d) continue;
      let z = zones.get(d.name);
      if (!z) {
        if (!claim(d, "dns", at(file, row, "domain"), p, claims)) continue;
        z = { d, recs: [] };
        zones.set(d.name, z);
      }
      // A row with only the domain says "this zone is managed and empty".
      if (!cell(row, "type") && !cell(row, "address") && !cell(row, "host") && !cell(row, "priority")) continue;
      const rec = f.dnsRecord(
        { host: cell(row, "host") || "@", type: cell(row, "type"), address: cell(row, "address"), priority: cell(row, "priority") },
        d.name,
        { host: at(file, row, "host"), type: at(file, row, "type"), address: at(file, row, "address"), priority: at(file, row, "priority") },
        p,
      );
      if (rec) z.recs.push({ rec, ref: at(file, row, "type") });
    }
    for (const z of zones.values()) {
      f.checkZone(z.recs, p);
      z.d.dns = z.recs.map((r) => r.rec);
    }
  },
  forwarding(rows, file, p, into, claims) {
    const lists = new Map<string, { d: DesiredDomain; prefixes: Set<string> }>();
    for (const row of rows) {
      const d = domainOf(row, file, p, into);
      if (!d) continue;
      let l = lists.get(d.name);
      if (!l) {
        if (!claim(d, "forwarding", at(file, row, "domain"), p, claims)) continue;
        l = { d, prefixes: new Set() };
        lists.set(d.name, l);
        d.forwarding = [];
      }
      const prefix = cell(row, "prefix");
      const to = cell(row, "to");
      if (!prefix && !to) continue;
      if (!/^[a-z0-9._+-]{1,64}$/i.test(prefix)) {
        p.error(at(file, row, "prefix"), `forwarding prefix "${prefix}" must be the part before @ (a-z, 0-9, . _ + -)`);
        continue;
      }
      const email = f.email(to, at(file, row, "to"), p, "forwarding to");
      if (!email) continue;
      const fw = normalizeForwarding({ prefix, to: email });
      if (l.prefixes.has(fw.prefix)) p.error(at(file, row, "prefix"), `forwarding prefix "${prefix}" is given twice for ${d.display}`);
      l.prefixes.add(fw.prefix);
      d.forwarding!.push(fw);
    }
  },
  registrant(rows, file, p, into, claims) {
    for (const row of rows) {
      const d = domainOf(row, file, p, into);
      if (!d) continue;
      const r: Registrant = {};
      for (const k of REGISTRANT_FIELDS) {
        const v = row.cells.get(k)?.value;
        if (v === undefined || v === "") continue;
        const ref = at(file, row, k);
        r[k] = k === "email" ? (f.email(v, ref, p) ?? v) : k === "telephone" ? (f.registrantPhone(v, ref, p) ?? v) : k === "country" ? (f.country(v, ref, p) ?? v) : v;
      }
      if (Object.keys(r).length === 0) continue;
      if (!claim(d, "registrant", at(file, row, "domain"), p, claims)) continue;
      d.registrant = normalizeRegistrant(r);
    }
  },
  owners(rows, file, p, into) {
    for (const row of rows) {
      const name = cell(row, "owner");
      if (!name) {
        p.error(at(file, row, "owner"), "owner is empty: every row names its profile");
        continue;
      }
      if (into.owners[name]) {
        p.error(at(file, row, "owner"), `owner "${name}" is defined twice`);
        continue;
      }
      const o: Owner = {};
      for (const k of OWNER_FIELDS) {
        const v = cell(row, k);
        if (!v) continue;
        const ref = at(file, row, k);
        o[k] = k === "email" ? (f.email(v, ref, p) ?? v) : k === "phone" ? (f.phone(v, ref, p, "phone") ?? v) : k === "country" ? (f.country(v, ref, p) ?? v) : v;
      }
      for (const req of ["firstname", "lastname", "address1", "city", "postcode", "country", "phone", "email"] as const) {
        if (!o[req]) p.error(at(file, row, req), `owner "${name}" is missing ${req} (RegisterDomain and TransferDomain need it)`);
      }
      into.owners[name] = o;
    }
  },
  lifecycle(rows, file, p, into, claims) {
    for (const row of rows) {
      const d = domainOf(row, file, p, into);
      if (!d) continue;
      const op = cell(row, "operation").toLowerCase();
      if (op !== "register" && op !== "transfer") {
        p.error(at(file, row, "operation"), `operation "${cell(row, "operation")}" is not known; valid: register, transfer`);
        continue;
      }
      const y = f.years(cell(row, "years") || "1", at(file, row, "years"), p);
      const owner = cell(row, "owner");
      if (!owner) p.error(at(file, row, "owner"), `${op} needs owner: the name of a profile in the owners CSV`);
      if (op === "register" && cell(row, "authcode")) p.error(at(file, row, "authcode"), "an authcode is only for transfer");
      if (y === undefined || !owner) continue;
      if (!claim(d, "lifecycle", at(file, row, "operation"), p, claims)) continue;
      const authcode = cell(row, "authcode");
      if (op === "register") d.register = { years: y, owner };
      else d.transfer = { years: y, owner, ...(authcode ? { authcode } : {}) };
      (d as { ownerRef?: SourceRef }).ownerRef = at(file, row, "owner");
    }
  },
};
