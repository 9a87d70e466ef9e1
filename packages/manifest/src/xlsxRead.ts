/**
 * Reads an XLSX workbook as a manifest: each sheet is a table known by its header row, as CSV files
 * are, whatever the sheet is called. Cells keep their types: text is read as written, numbers and
 * dates where the column expects them, and a number, date, boolean or formula where the column
 * expects text is refused with its cell (`file.xlsx:Sheet!B7`) rather than guessed.
 */

import { type CellObject, read, type WorkBook } from "@e965/xlsx";
import type { InputProblem } from "@regdom/core/data";
import { assemblyOf, type ReadSink } from "./assemble.js";
import type { Manifest, SourceRef } from "./model.js";
import { columnLetters } from "./place.js";
import { Problems } from "./problems.js";
import { headerKey, MAX_COLUMNS, type Row, startTable } from "./tableRead.js";
import { openStreamWorkbook, type StreamSheet } from "./xlsxStream.js";

/** The first header cell of the sheet an export adds to say what the workbook is; skipped on reading. */
export const ABOUT_SHEET_HEADER = "about";

/** What a column means, for reading cells that are not text. Every other column is text. */
type Meaning = "text" | "flag" | "integer" | "date" | "phone";
const MEANINGS: Record<string, Meaning> = {
  lock: "flag",
  autorenew: "flag",
  idprotection: "flag",
  dnsmanagement: "flag",
  emailforwarding: "flag",
  priority: "integer",
  years: "integer",
  expires_not_before: "date",
  expires: "date",
  telephone: "phone",
  phone: "phone",
};

/** The columns holding true or false (the writer gives them a drop-down). */
export const FLAG_COLUMNS: ReadonlySet<string> = new Set(
  Object.entries(MEANINGS)
    .filter(([, m]) => m === "flag")
    .map(([k]) => k),
);

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isZip(bytes: Uint8Array, file: string, p: Problems): boolean {
  // SheetJS reads many formats and would take a CSV or an old .xls for a workbook: only XLSX (a ZIP) is.
  if (!ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    const xls = bytes[0] === 0xd0 && bytes[1] === 0xcf;
    p.error(
      { file },
      xls
        ? "this is an old Excel .xls file, not .xlsx: save it as Excel Workbook (.xlsx)"
        : "not an XLSX workbook (an XLSX file is a ZIP archive); a CSV file should be named .csv",
    );
    return false;
  }
  return true;
}

function openWorkbook(bytes: Uint8Array, file: string, p: Problems): WorkBook | undefined {
  try {
    return read(bytes, {
      type: "buffer",
      dense: true,
      cellFormula: true,
      // A formula with no saved value (`<c><f>…</f><v/></c>`, as openpyxl writes one) is only kept
      // as a stub: without stubs it would vanish, and an empty host would be read as the apex.
      sheetStubs: true,
      cellDates: true,
      cellHTML: false,
      cellText: false,
      cellStyles: false,
      bookVBA: false,
    });
  } catch (e) {
    p.error({ file }, `not a readable XLSX workbook: ${(e as Error).message}`);
    return undefined;
  }
}

/** Reads one workbook into a manifest (and its problems into `p`) through that manifest's assembly: for tests and tools. */
export function readXlsxManifest(bytes: Uint8Array, file: string, p: Problems, into: Manifest): void {
  p.add(readXlsx(bytes, file, assemblyOf(into)));
}

/** Reads every sheet of one workbook, handing what its rows give to the assembler; returns the file's problems. */
export function readXlsx(bytes: Uint8Array, file: string, out: ReadSink): InputProblem[] {
  const p = new Problems();
  readSheets(bytes, file, p, out);
  return [...p.errors, ...p.warnings];
}

function readSheets(bytes: Uint8Array, file: string, p: Problems, out: ReadSink): void {
  if (!isZip(bytes, file, p)) return;
  // The streaming reader first (bounded memory, a row at a time); SheetJS for what it leaves.
  let sheets: StreamSheet[] | undefined;
  try {
    sheets = openStreamWorkbook(bytes);
  } catch (e) {
    p.error({ file }, `not a readable XLSX workbook: ${(e as Error).message}`);
    return;
  }
  if (sheets) {
    if (sheets.length === 0) {
      p.error({ file }, "the workbook has no sheets");
      return;
    }
    for (const s of sheets) {
      const reader = new SheetReader(file, s.name, p, out);
      try {
        s.rows((index, cells) => reader.row(index, cells as CellObject[]));
      } catch (e) {
        p.error({ file }, `not a readable XLSX workbook: ${(e as Error).message}`);
        return;
      }
      reader.end();
    }
    return;
  }
  const wb = openWorkbook(bytes, file, p);
  if (!wb) return;
  if (wb.SheetNames.length === 0) {
    p.error({ file }, "the workbook has no sheets");
    return;
  }
  for (const sheet of wb.SheetNames) {
    const ws = wb.Sheets[sheet];
    const rows = (ws?.["!data"] ?? []) as (CellObject[] | undefined)[];
    const reader = new SheetReader(file, sheet, p, out);
    for (let r = 0; r < rows.length; r++) {
      const cells = rows[r];
      if (cells) reader.row(r, cells);
    }
    reader.end();
  }
}

/** Reads one sheet's rows as they come: the header is its first row with a given cell. */
class SheetReader {
  private header: string[] | undefined;
  private meanings: Meaning[] = [];
  private sink: ReturnType<typeof startTable> | undefined;
  private done = false;
  private readonly out: Row = { line: 0, cells: [] };

  constructor(
    private readonly file: string,
    private readonly sheet: string,
    private readonly p: Problems,
    private readonly assembly: ReadSink,
  ) {}

  row(r: number, cells: (CellObject | undefined)[]): void {
    if (this.done) return;
    if (!this.header) {
      if (!cells.some((c) => c && cellIsGiven(c))) return;
      this.start(r, cells);
      return;
    }
    const { file, sheet, p, header } = this;
    const line = r + 1;
    const texts: string[] = new Array(header.length).fill("");
    let empty = true;
    const errorsBefore = p.errors.length;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (!c || !cellIsGiven(c)) continue;
      const ref: SourceRef = { file, sheet, line, column: i + 1 };
      if (i >= header.length) {
        p.error(ref, `cell ${columnLetters(i)}${line} has no header; the header has ${header.length} columns`);
        continue;
      }
      const text = cellText(c, header[i]!, this.meanings[i]!, ref, p);
      texts[i] = text;
      if (text.trim() !== "") empty = false;
    }
    // A row with a cell that could not be read is not checked further: its other errors would only
    // follow from that cell being taken as empty.
    if (empty || p.errors.length > errorsBefore) return;
    this.out.line = line;
    this.out.cells = texts;
    this.sink!.row(this.out);
  }

  private start(headerIndex: number, headerCells: (CellObject | undefined)[]): void {
    const width = Math.min(headerCells.length, MAX_COLUMNS + 1);
    const header: string[] = [];
    for (let i = 0; i < width; i++) {
      const c = headerCells[i];
      header.push(c && cellIsGiven(c) ? headerKey(String(c.v ?? "")) : "");
    }
    while (header.length > 0 && header[header.length - 1] === "") header.pop();
    this.header = header;
    if (header[0] === ABOUT_SHEET_HEADER) {
      this.done = true;
      return;
    }
    const place = { file: this.file, sheet: this.sheet, headerLine: headerIndex + 1 };
    this.sink = startTable(header, place, this.p, this.assembly);
    if (!this.sink) {
      this.done = true;
      return;
    }
    this.meanings = header.map((h) => MEANINGS[h] ?? "text");
  }

  end(): void {
    if (!this.header) {
      this.p.warn({ file: this.file, sheet: this.sheet }, "the sheet is empty: skipped");
      return;
    }
    this.sink?.end();
  }
}

/** A cell with a value, an error or a formula; an empty or styled-only cell is not given. */
function cellIsGiven(c: CellObject): boolean {
  if (c.f) return true;
  if (c.t === "z" || c.v === undefined || c.v === null) return false;
  return !(c.t === "s" && c.v === "");
}

/**
 * The cell as the text the table readers check, by what its column means. Anything that cannot be
 * read for that column is an error at the cell (the row is then checked as if the cell were empty,
 * but nothing is sent while any error stands).
 */
function cellText(c: CellObject, key: string, meaning: Meaning, ref: SourceRef, p: Problems): string {
  if (c.f && (c.t === "z" || c.v === undefined || c.v === null)) {
    p.error(
      ref,
      `a formula with no saved value (=${c.f}): open the workbook in a spreadsheet program and save it, or paste the values (Paste Special → Values only)`,
    );
    return "";
  }
  if (c.f && (meaning === "text" || meaning === "phone")) {
    p.error(
      ref,
      `${key} holds a formula (=${c.f}): ${key} is text, so type it or paste it as values (Paste Special → Values only)`,
    );
    return "";
  }
  switch (c.t) {
    case "s":
      return String(c.v);
    case "e":
      p.error(ref, `${key} holds the spreadsheet error ${errorText(c)}`);
      return "";
    case "b":
      if (meaning === "flag") return c.v ? "true" : "false";
      p.error(ref, `${key} is ${c.v ? "TRUE" : "FALSE"} (a boolean); ${expected(key, meaning)}`);
      return "";
    case "d": {
      const d = c.v instanceof Date ? c.v : new Date(String(c.v));
      if (meaning === "date" && !Number.isNaN(d.getTime())) return d.toISOString().slice(0, 10);
      p.error(ref, `${key} is a date; ${expected(key, meaning)}`);
      return "";
    }
    case "n":
      return numberText(Number(c.v), key, meaning, ref, p);
    default:
      p.error(ref, `${key} holds a value of a kind regdom cannot read (cell type "${c.t}")`);
      return "";
  }
}

function numberText(n: number, key: string, meaning: Meaning, ref: SourceRef, p: Problems): string {
  if (meaning === "phone") {
    p.error(
      ref,
      `${key} is the number ${n}: the workbook stored it as a number, so its + (and any leading 0) is gone; format the column as Text and type it as +46.701234567`,
    );
    return "";
  }
  if (meaning === "date") {
    p.error(ref, `${key} is the number ${n}, not a date: type it as YYYY-MM-DD (or format the cell as a date)`);
    return "";
  }
  if (!Number.isFinite(n)) {
    p.error(ref, `${key} is not a finite number`);
    return "";
  }
  // Whole numbers as their digits, never in exponent form (a spreadsheet shows 1.23E+15).
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n);
  return String(n);
}

function expected(key: string, meaning: Meaning): string {
  switch (meaning) {
    case "flag":
      return `${key} is true or false`;
    case "integer":
      return `${key} is a whole number`;
    case "date":
      return `${key} is a date (YYYY-MM-DD)`;
    default:
      return `${key} is text: format the column as Text and type it again`;
  }
}

const ERROR_NAMES: Record<number, string> = {
  0: "#NULL!",
  7: "#DIV/0!",
  15: "#VALUE!",
  23: "#REF!",
  29: "#NAME?",
  36: "#NUM!",
  42: "#N/A",
  43: "#GETTING_DATA",
};

function errorText(c: CellObject): string {
  if (typeof c.w === "string" && c.w) return c.w;
  return typeof c.v === "number" ? (ERROR_NAMES[c.v] ?? `#${c.v}`) : String(c.v);
}
