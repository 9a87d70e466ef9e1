/**
 * Writes a manifest as one XLSX workbook: a sheet per table kind (the same headers as the CSV
 * files) and an `about` sheet. Text cells are written as text in Text-formatted cells, so postcodes,
 * phone numbers and hosts survive any spreadsheet; flags are booleans, priority and years numbers.
 * Each sheet has a bold frozen header, an autofilter, widths that fit, and drop-downs for the record
 * type and the flags.
 *
 * write-excel-file writes the cells, styles, widths and frozen header; the autofilter and the
 * drop-downs are added by a `Feature` (its documented way to extend a sheet's XML).
 */

import type { Blob } from "node:buffer";
import type { Stream } from "node:stream";
import { DNS_TYPES, InternalError } from "@regdom/core/data";
import type { Cell, Feature, Sheet } from "write-excel-file/node";
import type { Manifest } from "./model.js";
import { columnLetters } from "./place.js";
import { manifestTables, type Table, type TableCell } from "./tableWrite.js";
import { ABOUT_SHEET_HEADER, FLAG_COLUMNS } from "./xlsxRead.js";

/** What the `about` sheet says: which tool wrote it, when, from where, and counts. */
export interface WorkbookAbout {
  tool: string;
  time: Date;
  endpoint?: string;
  /** Extra lines, in order (say, domains asked for and failed). */
  more?: [string, string | number][];
}

/**
 * write-excel-file, loaded when a workbook is written: imported up front, its modules alone made
 * V8 grow the heap so much further that validating a 100k-domain YAML manifest peaked at 610 MB
 * instead of 316 MB (and took longer), in commands that never write a workbook.
 */
async function excelLib() {
  const [node, utility] = await Promise.all([import("write-excel-file/node"), import("write-excel-file/utility")]);
  return { writeXlsxFile: node.default, ...utility };
}
type Utility = Awaited<ReturnType<typeof excelLib>>;

/** What write-excel-file's Node entry takes as file content (its own type is not exported). */
type FileContent = Stream | Buffer | Blob;

const LAST_ROW = 1048576;
const MAX_WIDTH = 60;

/** A drop-down list on one column, from row 2 to the sheet's end (rows a user adds get it too). */
interface DropDown {
  column: number;
  values: readonly string[];
  prompt: string;
}

interface SheetExtras {
  name: string;
  columns: number;
  rows: number;
  dropDowns: DropDown[];
}

function typedCell(c: TableCell): Cell {
  if (typeof c === "boolean") return { value: c, type: Boolean };
  if (typeof c === "number") return { value: c, type: Number };
  // Text, and empty text cells too: Text-formatted, so what a user types there stays text. A text
  // cell is never computed, so `=` needs no `'`; but a value that starts with `'` before one of
  // `= + - @` gets one more, since the reader takes one off (as a spreadsheet's text prefix).
  if (!c) return { type: String, format: "@" };
  return { value: /^'+[=+\-@]/.test(c) ? `'${c}` : c, type: String, format: "@" };
}

function widths(t: { header: string[]; rows: TableCell[][] }): { width: number }[] {
  return t.header.map((h, i) => {
    let w = h.length;
    for (const r of t.rows) {
      const c = r[i];
      const len = c === undefined ? 0 : typeof c === "boolean" ? 5 : String(c).length;
      if (len > w) w = len;
      if (w >= MAX_WIDTH) break;
    }
    return { width: Math.min(MAX_WIDTH, w + 2) };
  });
}

function dropDownsOf(t: Table): DropDown[] {
  const out: DropDown[] = [];
  t.header.forEach((h, column) => {
    if (FLAG_COLUMNS.has(h))
      out.push({ column, values: ["TRUE", "FALSE"], prompt: "TRUE, FALSE, or empty (not managed)" });
    else if (t.kind === "dns" && h === "type")
      out.push({
        column,
        values: DNS_TYPES,
        prompt: "a record type; other DNS types (CAA, SRV, …) are sent exactly as written",
      });
  });
  return out;
}

/** The elements a sheet's XML gets: its autofilter, and its drop-downs when it has any. */
function sheetElements(u: Utility, x: SheetExtras): string[] {
  const lastCol = columnLetters(x.columns - 1);
  const out = [u.getSelfClosingTagMarkup("autoFilter", { ref: `A1:${lastCol}${Math.max(2, x.rows)}` })];
  if (x.dropDowns.length === 0) return out;
  let xml = u.getOpeningTagMarkup("dataValidations", { count: x.dropDowns.length });
  for (const d of x.dropDowns) {
    const col = columnLetters(d.column);
    // errorStyle "warning": a value off the list is questioned, not refused (regdom reads yes/no, 1/0 too).
    xml += u.getOpeningTagMarkup("dataValidation", {
      type: "list",
      errorStyle: "warning",
      allowBlank: 1,
      showInputMessage: 1,
      showErrorMessage: 1,
      promptTitle: d.values.length === 2 ? "true or false" : "type",
      prompt: d.prompt,
      sqref: `${col}2:${col}${LAST_ROW}`,
    });
    xml += `<formula1>${u.sanitizeTextContent(`"${d.values.join(",")}"`)}</formula1>${u.getClosingTagMarkup("dataValidation")}`;
  }
  out.push(xml + u.getClosingTagMarkup("dataValidations"));
  return out;
}

/** Excel and LibreOffice find a sheet's autofilter through this hidden name. */
function filterNames(u: Utility, sheets: SheetExtras[]): string {
  return sheets
    .map((s, i) => {
      const range = `'${s.name}'!$A$1:$${columnLetters(s.columns - 1)}$${Math.max(2, s.rows)}`;
      return `${u.getOpeningTagMarkup("definedName", { name: "_xlnm._FilterDatabase", localSheetId: i, hidden: 1 })}${u.sanitizeTextContent(range)}${u.getClosingTagMarkup("definedName")}`;
    })
    .join("");
}

/** Adds the autofilters and drop-downs, each element where the schema's order puts it. */
function extrasFeature(u: Utility, sheets: SheetExtras[]): Feature<FileContent> {
  const sheetOrder = u.getOrderOfSiblings("xl/worksheets/sheet{id}.xml", "worksheet");
  const workbookOrder = u.getOrderOfSiblings("xl/workbook.xml", "workbook");
  if (!sheetOrder || !workbookOrder)
    throw new InternalError("write-excel-file no longer knows the order of a sheet's elements");
  return {
    files: {
      transform: {
        "xl/worksheets/sheet{id}.xml": {
          transform(xml, _options, { sheetIndex }) {
            const x = sheets[sheetIndex];
            if (!x) return xml;
            for (const element of sheetElements(u, x))
              xml = u.insertElementMarkupAccordingToOrderOfSiblings(xml, element, sheetOrder, "worksheet");
            return xml;
          },
        },
        "xl/workbook.xml": {
          transform(xml) {
            const names = filterNames(u, sheets);
            const existing = u.findElement(xml, "definedNames");
            if (!existing)
              return u.insertElementMarkupAccordingToOrderOfSiblings(
                xml,
                `<definedNames>${names}</definedNames>`,
                workbookOrder,
                "workbook",
              );
            return existing.selfClosingTag
              ? xml.replace("<definedNames/>", `<definedNames>${names}</definedNames>`)
              : u.appendMarkupInsideElement(xml, existing, names);
          },
        },
      },
    },
  };
}

/** The whole workbook's bytes. */
export async function writeXlsxManifest(m: Manifest, about: WorkbookAbout): Promise<Uint8Array> {
  const tables = manifestTables(m);
  const sheets: Sheet<FileContent>[] = [];
  const extras: SheetExtras[] = [];
  const bold = (h: string): Cell => ({ value: h, type: String, fontWeight: "bold" });
  for (const t of tables) {
    sheets.push({
      sheet: t.kind,
      data: [t.header.map(bold), ...t.rows.map((r) => t.header.map((_, i) => typedCell(r[i])))],
      columns: widths(t),
      stickyRowsCount: 1,
    });
    extras.push({ name: t.kind, columns: t.header.length, rows: t.rows.length + 1, dropDowns: dropDownsOf(t) });
  }
  const aboutRows: [string, string | number][] = [
    ["written by", about.tool],
    ["time", about.time.toISOString()],
    ...(about.endpoint ? ([["endpoint", about.endpoint]] as [string, string][]) : []),
    ["domains", m.domains.size],
    ...tables.map((t) => [`${t.kind} rows`, t.rows.length] as [string, number]),
    ...(about.more ?? []),
    ["read back", "regdom-bulk plan FILE.xlsx reads every sheet but this one; sheets are known by their header row"],
  ];
  const aboutTable = { header: [ABOUT_SHEET_HEADER, "value"], rows: aboutRows as TableCell[][] };
  sheets.push({
    sheet: "about",
    data: [aboutTable.header.map(bold), ...aboutRows.map((r) => r.map(typedCell))],
    columns: widths(aboutTable),
    stickyRowsCount: 1,
  });
  const u = await excelLib();
  return await u.writeXlsxFile(sheets, { features: [extrasFeature(u, extras)] }).toBuffer();
}
