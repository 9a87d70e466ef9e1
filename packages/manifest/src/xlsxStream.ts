/**
 * A streaming reader for the regular OOXML an XLSX workbook is: its ZIP parts are inflated chunk by
 * chunk (fflate) and each sheet's XML is scanned a row at a time, so a 100k-domain workbook is never
 * held as one string nor as a whole grid of cells. Cells come out as SheetJS reads them (same types,
 * values, dates, formulas), so the table reader treats both alike. Whatever it does not know for sure
 * (strict OOXML, XLSB, prefixed elements, encrypted or odd ZIPs) it leaves to SheetJS: `undefined`.
 */
import { SSF } from "@e965/xlsx";
import { Inflate } from "fflate";
import { MAX_WORKBOOK_EXPANDED } from "./workbookZip.js";

/** One cell as SheetJS gives it (`t`, `v`, `f`): only what the table reader looks at. */
export interface StreamCell {
  t: string;
  v?: unknown;
  f?: string;
}

export interface StreamSheet {
  name: string;
  /** Calls `row` with each row's 0-based index and its cells (sparse, by 0-based column), in order. */
  rows(row: (index: number, cells: (StreamCell | undefined)[]) => void): void;
}

interface Entry {
  method: number;
  start: number;
  size: number;
}

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const REL_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";

/** The built-in number formats as SheetJS knows them before any workbook loads its own. */
const BUILTIN_FORMATS: Record<number, string> = { ...(SSF.get_table() as Record<number, string>) };

class Unsupported extends Error {}

/** The workbook's sheets, read lazily, or undefined when SheetJS should read it. */
export function openStreamWorkbook(bytes: Uint8Array): StreamSheet[] | undefined {
  try {
    return open(bytes);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

function entries(bytes: Uint8Array): Map<string, Entry> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = b.length - 22; i >= 0; i--)
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Unsupported();
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const out = new Map<string, Entry>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== 0x02014b50) throw new Unsupported();
    const flags = b.readUInt16LE(at + 8);
    const method = b.readUInt16LE(at + 10);
    const csz = b.readUInt32LE(at + 20);
    const nameLen = b.readUInt16LE(at + 28);
    const extraLen = b.readUInt16LE(at + 30);
    const commentLen = b.readUInt16LE(at + 32);
    const offset = b.readUInt32LE(at + 42);
    const name = b.toString("utf8", at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    if (flags & 1 || (method !== 0 && method !== 8) || csz === 0xffffffff || offset === 0xffffffff)
      throw new Unsupported();
    if (offset + 30 > b.length || b.readUInt32LE(offset) !== 0x04034b50) throw new Unsupported();
    const start = offset + 30 + b.readUInt16LE(offset + 26) + b.readUInt16LE(offset + 28);
    if (start + csz > b.length) throw new Unsupported();
    out.set(name.replace(/^\//, "").toLowerCase(), { method, start, size: csz });
  }
  return out;
}

/** Inflates one part, calling `chunk` with its text piece by piece; the whole workbook stays under the cap. */
function inflateText(bytes: Uint8Array, e: Entry, budget: { left: number }, chunk: (text: string) => void): void {
  const data = bytes.subarray(e.start, e.start + e.size);
  const decoder = new TextDecoder("utf-8");
  const take = (out: Uint8Array): void => {
    budget.left -= out.length;
    // workbookTooBig has refused such a workbook already, unless the caller did not ask it.
    if (budget.left < 0)
      throw new Error(
        `the workbook expands to more than ${MAX_WORKBOOK_EXPANDED / 1048576} MB; workbooks that expand to more are refused`,
      );
    const text = decoder.decode(out, { stream: true });
    if (text) chunk(text);
  };
  if (e.method === 0) {
    take(data);
  } else {
    let ended = false;
    const inflate = new Inflate((out, final) => {
      take(out);
      if (final) ended = true;
    });
    const STEP = 64 * 1024;
    try {
      for (let i = 0; i < data.length; i += STEP) inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
      if (data.length === 0) inflate.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof Unsupported || (err as Error).message.startsWith("the workbook expands")) throw err;
      throw new Unsupported(`a part is not a readable deflate stream (${(err as Error).message})`);
    }
    if (!ended) throw new Unsupported("a part ends before its deflate stream does");
  }
  const rest = decoder.decode();
  if (rest) chunk(rest);
}

function wholeText(bytes: Uint8Array, parts: Map<string, Entry>, name: string, budget: { left: number }) {
  const e = parts.get(name.toLowerCase());
  if (!e) return undefined;
  const pieces: string[] = [];
  inflateText(bytes, e, budget, (t) => pieces.push(t));
  return pieces.join("");
}

const ATTR = /([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(ATTR)) out[m[1]!] = unescapeXml(m[2] ?? m[3] ?? "");
  return out;
}

const ENTITY = /&(?:quot|apos|gt|lt|amp|#x?([\da-fA-F]+));/gi;
const CODE = /_x([\da-fA-F]{4})_/gi;
const NAMED: Record<string, string> = { "&quot;": '"', "&apos;": "'", "&gt;": ">", "&lt;": "<", "&amp;": "&" };
/** XML text as SheetJS decodes it: entities, character references and Excel's `_xHHHH_` escapes. */
function unescapeXml(s: string): string {
  if (s.includes("<![CDATA[")) throw new Unsupported();
  let out = s;
  if (out.includes("&"))
    out = out.replace(ENTITY, (all, code: string | undefined) => {
      const named = NAMED[all.toLowerCase()];
      if (named !== undefined && code === undefined) return named;
      return String.fromCharCode(Number.parseInt(code!, all.includes("x") || all.includes("X") ? 16 : 10)) || all;
    });
  if (out.includes("_x")) out = out.replace(CODE, (_, c: string) => String.fromCharCode(Number.parseInt(c, 16)));
  return out;
}
const unescapeCellText = (s: string): string => unescapeXml(s).replace(/\r\n/g, "\n");

/** Relationship targets by id, resolved against the folder of the part they belong to. */
function relationships(xml: string | undefined, base: string): Map<string, { type: string; target: string }> {
  const out = new Map<string, { type: string; target: string }>();
  if (xml === undefined) return out;
  for (const m of xml.matchAll(/<Relationship\b[^>]*>/g)) {
    const a = attrs(m[0]);
    if (!a.Id || !a.Target) continue;
    if (a.TargetMode === "External") continue;
    const target = a.Target.startsWith("/") ? a.Target.slice(1) : normalize(base + a.Target);
    out.set(a.Id, { type: a.Type ?? "", target });
  }
  return out;
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return out.join("/");
}

/** The text of a shared string or inline string (`<t>`, or rich text runs, phonetic runs left out). */
function siText(x: string): string {
  const plain = /^\s*<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/.exec(x);
  if (plain) return unescapeCellText(plain[1]!);
  if (/^\s*<t\b[^>]*\/>/.test(x)) return "";
  if (!/<r>|<r\s/.test(x)) return "";
  const runs = x.replace(/<rPh\b[\s\S]*?<\/rPh>/g, "");
  let text = "";
  for (const m of runs.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)) text += m[1] ?? "";
  return unescapeCellText(text);
}

function open(bytes: Uint8Array): StreamSheet[] {
  const parts = entries(bytes);
  const budget = { left: MAX_WORKBOOK_EXPANDED };
  const rootRels = relationships(wholeText(bytes, parts, "_rels/.rels", budget), "");
  const office = [...rootRels.values()].find((r) => r.type === REL_OFFICE);
  const wbPath = office?.target ?? "xl/workbook.xml";
  if (!wbPath.toLowerCase().endsWith(".xml")) throw new Unsupported();
  const wbXml = wholeText(bytes, parts, wbPath, budget);
  if (wbXml === undefined) throw new Unsupported();
  const root = /<([\w:]*)workbook\b[^>]*>/.exec(wbXml);
  if (!(root?.[1] === "" && root[0].includes(`"${MAIN_NS}"`))) throw new Unsupported();
  const dir = wbPath.includes("/") ? wbPath.slice(0, wbPath.lastIndexOf("/") + 1) : "";
  const rels = relationships(wholeText(bytes, parts, `${dir}_rels/${wbPath.slice(dir.length)}.rels`, budget), dir);
  const pr = /<workbookPr\b[^>]*>/.exec(wbXml);
  const d1904 = pr ? attrs(pr[0]).date1904 : undefined;
  const date1904 = d1904 === "1" || d1904 === "true";

  const sheets: { name: string; path: string }[] = [];
  let styles: string | undefined;
  let shared: string | undefined;
  for (const r of rels.values()) {
    if (r.type.endsWith("/styles")) styles = r.target;
    if (r.type.endsWith("/sharedStrings")) shared = r.target;
  }
  for (const m of wbXml.matchAll(/<sheet\b[^>]*>/g)) {
    const a = attrs(m[0]);
    const rel = rels.get(a["r:id"] ?? "");
    if (!a.name || !rel || rel.type !== REL_WORKSHEET || !parts.has(rel.target.toLowerCase())) throw new Unsupported();
    sheets.push({ name: a.name, path: rel.target });
  }
  const dateStyles = readDateStyles(styles === undefined ? undefined : wholeText(bytes, parts, styles, budget));
  const strings = shared === undefined ? [] : readSharedStrings(bytes, parts.get(shared.toLowerCase()), budget);
  // Each sheet's root element is checked before any row is read: a surprise later is too late to fall back.
  for (const s of sheets) checkSheetRoot(bytes, parts.get(s.path.toLowerCase())!);
  return sheets.map((s) => ({
    name: s.name,
    rows: (row) => readRows(bytes, parts.get(s.path.toLowerCase())!, budget, row, { strings, dateStyles, date1904 }),
  }));
}

function checkSheetRoot(bytes: Uint8Array, e: Entry): void {
  let head = "";
  try {
    inflateText(bytes, e, { left: Number.POSITIVE_INFINITY }, (t) => {
      head += t;
      if (head.length > 4096) throw new Unsupported();
    });
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  const root = /<(?!\?|!)([\w:]*?)(\w+)\b[^>]*>/.exec(head);
  if (!(root?.[1] === "" && root[2] === "worksheet" && root[0].includes(`"${MAIN_NS}"`))) throw new Unsupported();
}

/** Which cell styles (`s` indexes) show numbers as dates, as SheetJS decides it. */
function readDateStyles(xml: string | undefined): Set<number> {
  const out = new Set<number>();
  if (xml === undefined) return out;
  const custom: Record<number, string> = {};
  for (const m of xml.matchAll(/<numFmt\b[^>]*>/g)) {
    const a = attrs(m[0]);
    if (a.numFmtId !== undefined && a.formatCode !== undefined) custom[Number(a.numFmtId)] = a.formatCode;
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml);
  if (!xfs) return out;
  let i = 0;
  for (const m of xfs[1]!.matchAll(/<xf\b[^>]*>/g)) {
    const id = Number(attrs(m[0]).numFmtId ?? 0);
    const fmt = custom[id] ?? BUILTIN_FORMATS[id];
    if (id && fmt !== undefined && SSF.is_date(fmt)) out.add(i);
    i++;
  }
  return out;
}

function readSharedStrings(bytes: Uint8Array, e: Entry | undefined, budget: { left: number }): string[] {
  const out: string[] = [];
  if (!e) return out;
  let pending = "";
  const si = /<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g;
  inflateText(bytes, e, budget, (text) => {
    pending += text;
    si.lastIndex = 0;
    let end = 0;
    for (let m = si.exec(pending); m; m = si.exec(pending)) {
      out.push(m[1] === undefined ? "" : siText(m[1]));
      end = si.lastIndex;
    }
    pending = pending.slice(end);
  });
  return out;
}

interface SheetContext {
  strings: string[];
  dateStyles: Set<number>;
  date1904: boolean;
}

function readRows(
  bytes: Uint8Array,
  e: Entry,
  budget: { left: number },
  emit: (index: number, cells: (StreamCell | undefined)[]) => void,
  ctx: SheetContext,
): void {
  let pending = "";
  let lastRow = 0;
  const shared = new Map<string, [string, string]>();
  const rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
  inflateText(bytes, e, budget, (text) => {
    pending += text;
    rowRe.lastIndex = 0;
    let end = 0;
    for (let m = rowRe.exec(pending); m; m = rowRe.exec(pending)) {
      end = rowRe.lastIndex;
      const r = /\br\s*=\s*["'](\d+)["']/.exec(m[1]!);
      lastRow = r ? Number.parseInt(r[1]!, 10) : lastRow + 1;
      const cells = m[2] === undefined ? [] : readCells(m[2], lastRow, ctx, shared);
      if (cells.length > 0) emit(lastRow - 1, cells);
    }
    pending = pending.slice(end);
  });
}

const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;

function readCells(
  xml: string,
  rowNumber: number,
  ctx: SheetContext,
  shared: Map<string, [string, string]>,
): (StreamCell | undefined)[] {
  const cells: (StreamCell | undefined)[] = [];
  let col = -1;
  CELL.lastIndex = 0;
  for (let m = CELL.exec(xml); m; m = CELL.exec(xml)) {
    const a = attrs(m[1]!);
    if (a.r) {
      let idx = 0;
      for (let i = 0; i < a.r.length; i++) {
        const cc = a.r.charCodeAt(i) - 64;
        if (cc < 1 || cc > 26) break;
        idx = 26 * idx + cc;
      }
      col = idx - 1;
    } else col++;
    const ref = a.r ?? `${columnName(col)}${rowNumber}`;
    const body = m[2] ?? "";
    const p: StreamCell = { t: "" };
    const v = /<v\b[^<>]*>([\s\S]*?)<\/v>/.exec(body);
    const raw: string | undefined = v && v[1] !== "" ? unescapeXml(v[1]!) : undefined;
    const f = /<f\b([^<>]*?)(?:\/>|>([\s\S]*?)<\/f>)/.exec(body);
    let array = false;
    if (f) {
      const fa = attrs(f[1]!);
      const text = f[2];
      if (text === undefined || text === "") {
        const master = fa.t === "shared" && fa.si !== undefined ? shared.get(fa.si) : undefined;
        if (master) p.f = shiftFormula(master[0], master[1], ref);
      } else {
        p.f = unescapeXml(text).replace(/_xlfn\./g, "");
        if (fa.t === "array") array = true;
        else if (fa.t === "shared" && fa.si !== undefined) shared.set(String(Number.parseInt(fa.si, 10)), [p.f, ref]);
      }
    }
    if (a.t === undefined && raw === undefined) {
      // SheetJS gives such a formula the value 0, then takes 0 == "" for no value: a stub with its formula.
      p.t = "z";
      if (p.f || array) p.v = 0;
    } else p.t = a.t || "n";
    switch (p.t) {
      case "n":
        if (raw === undefined || raw === "") p.t = "z";
        else p.v = Number.parseFloat(raw);
        break;
      case "s":
        if (raw === undefined) p.t = "z";
        else p.v = ctx.strings[Number.parseInt(raw, 10)];
        if (p.t === "s" && p.v === undefined) throw new Error(`shared string ${raw} is missing`);
        break;
      case "str":
        p.t = "s";
        p.v = raw !== undefined ? unescapeCellText(raw) : "";
        break;
      case "inlineStr": {
        p.t = "s";
        const is = /<is\b[^<>]*>([\s\S]*?)<\/is>/.exec(body);
        p.v = is ? siText(is[1]!) : "";
        break;
      }
      case "b":
        p.v = raw === "1" || raw === "true";
        break;
      case "d":
        p.v = parseDate(raw ?? "", ctx.date1904);
        break;
      case "e":
        p.v = ERROR_CODES[raw ?? ""];
        break;
      default:
        p.v = raw;
    }
    if (p.t === "n" && a.s !== undefined && ctx.dateStyles.has(Number(a.s))) {
      const d = numdate((p.v as number) + (ctx.date1904 ? 1462 : 0));
      p.v = d;
      p.t = typeof d === "number" ? "n" : "d";
    }
    if (col >= 0) cells[col] = p;
  }
  return cells;
}

const ERROR_CODES: Record<string, number> = {
  "#NULL!": 0,
  "#DIV/0!": 7,
  "#VALUE!": 15,
  "#REF!": 23,
  "#NAME?": 29,
  "#NUM!": 36,
  "#N/A": 42,
  "#GETTING_DATA": 43,
  "#WTF?": 255,
};

const DAY = 24 * 60 * 60 * 1000;
const EPOCH = Date.UTC(1899, 11, 30, 0, 0, 0);
function numdate(v: number): Date | number {
  if (v >= 60 && v < 61) return v;
  return new Date((v > 60 ? v : v + 1) * DAY + EPOCH);
}

function parseDate(s: string, date1904: boolean): Date {
  const t = /^(\d+):(\d+)(:\d+)?(\.\d+)?$/.exec(s);
  if (t)
    return new Date(
      (date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 31)) +
        ((Number.parseInt(t[1]!, 10) * 60 + Number.parseInt(t[2]!, 10)) * 60 +
          (t[3] ? Number.parseInt(t[3].slice(1), 10) : 0)) *
          1000 +
        (t[4] ? Number.parseInt(`${t[4]}000`.slice(1, 4), 10) : 0),
    );
  const d = /^(\d+)-(\d+)-(\d+)$/.exec(s);
  if (d) return new Date(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!));
  const dt = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+)(:\d+)?(\.\d+)?$/.exec(s);
  if (dt)
    return new Date(
      Date.UTC(
        +dt[1]!,
        +dt[2]! - 1,
        +dt[3]!,
        +dt[4]!,
        +dt[5]!,
        (dt[6] && Number.parseInt(dt[6].slice(1), 10)) || 0,
        (dt[7] && Number.parseInt(`${dt[7]}0000`.slice(1, 4), 10)) || 0,
      ),
    );
  return new Date(s);
}

function columnName(c: number): string {
  let s = "";
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
function columnIndex(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) n = n * 26 + s.charCodeAt(i) - 64;
  return n - 1;
}

const CREF = /(^|[^._A-Z0-9])(\$?)([A-Z]{1,2}|[A-W][A-Z]{2}|X[A-E][A-Z]|XF[A-D])(\$?)(\d{1,7})(?![_.(A-Za-z0-9])/g;
/** A shared formula's text at another cell, its relative references moved as SheetJS moves them. */
function shiftFormula(f: string, from: string, to: string): string {
  const a = /^([A-Z]+)(\d+)$/.exec(from.replace(/\$/g, ""));
  const b = /^([A-Z]+)(\d+)$/.exec(to);
  if (!a || !b) return f;
  const dc = columnIndex(b[1]!) - columnIndex(a[1]!);
  const dr = Number(b[2]) - Number(a[2]);
  return f.replace(
    CREF,
    (_, pre: string, cAbs: string, c: string, rAbs: string, r: string) =>
      pre +
      (cAbs === "$" ? cAbs + c : columnName(columnIndex(c) + dc)) +
      (rAbs === "$" ? rAbs + r : String(Number(r) - 1 + dr + 1)),
  );
}
