/**
 * Writes a manifest as the contract's CSV kinds, one file each. Cells a spreadsheet would run as
 * a formula (starting with = + - @) get a leading `'`, which the reader strips again.
 */

import { stringify } from "csv-stringify/sync";
import type { Manifest } from "./model.js";
import { manifestTables, type TableCell } from "./tableWrite.js";

export interface CsvWriteOptions {
  /** UTF-8 BOM, `;` and CRLF, as Excel in Swedish and other comma-decimal locales expects. */
  excel?: boolean;
}

/**
 * A cell a spreadsheet would compute (`= + - @` first) gets a leading `'`; so does one that starts
 * with `'` before those, which unneutralize would otherwise shorten (`'=5+5` is written `''=5+5`).
 */
export function neutralize(cell: string): string {
  return /^'*[=+\-@]/.test(cell) ? `'${cell}` : cell;
}

const csvCell = (c: TableCell): string =>
  c === undefined ? "" : typeof c === "boolean" ? (c ? "true" : "false") : neutralize(String(c));

/** File name (`domains.csv`, …) to content, for the kinds that have rows. */
export function writeCsvManifest(m: Manifest, opts: CsvWriteOptions = {}): Map<string, string> {
  const out = new Map<string, string>();
  const csv = csvLines(opts);
  for (const t of manifestTables(m)) {
    const lines = [csv.header(t.header)];
    for (const r of t.rows) lines.push(csv.row(r));
    out.set(`${t.kind}.csv`, lines.join(""));
  }
  return out;
}

/**
 * A CSV file's text a line at a time (each with its record delimiter), so an export can write
 * tables as their rows come: the header (with the BOM for Excel) and then each row.
 */
export function csvLines(opts: CsvWriteOptions = {}): { header(h: string[]): string; row(r: TableCell[]): string } {
  const o = { delimiter: opts.excel ? ";" : ",", record_delimiter: opts.excel ? "windows" : "unix" } as const;
  return {
    header: (h) => stringify([h], { ...o, bom: opts.excel ?? false }),
    row: (r) => stringify([r.map(csvCell)], o),
  };
}
