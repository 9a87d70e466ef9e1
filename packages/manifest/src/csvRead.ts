/**
 * Reads CSV manifests as spreadsheets write them: the kind of file known by its header row, the
 * delimiter sniffed among `,` `;` and tab, UTF-8 with or without BOM or else Windows-1252, CRLF,
 * quoted cells with newlines. An empty cell means "not managed", never "clear".
 */
import { isUtf8 } from "node:buffer";
import type { InputProblem } from "@regdom/core/data";
import { parse } from "csv-parse";
import { assemblyOf, type ReadSink } from "./assemble.js";
import { MAX_MANIFEST_RECORDS } from "./limits.js";
import type { Manifest } from "./model.js";
import { columnLetters } from "./place.js";
import { Problems } from "./problems.js";
import { headerKey, MAX_CELL, MAX_COLUMNS, type Row, type RowSink, startTable } from "./tableRead.js";
import { placeOf, utf8Breaks } from "./textBytes.js";
import { decodeWindows1252 } from "./windows1252.js";

/** UTF-8 (BOM stripped), or Windows-1252 when the bytes are not UTF-8. */
export function decodeSpreadsheetBytes(bytes: Uint8Array, file: string, p: Problems): string {
  let b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    // Decided for the whole file: a file with UTF-8 in one row and Windows-1252 in another is neither,
    // and reading it as Windows-1252 would turn "Göteborg" into "GÃ¶teborg" on its UTF-8 rows.
    const breaks = utf8Breaks(b);
    if (breaks?.mixed)
      p.error(
        { file, ...placeOf(b, breaks.first) },
        'mixes encodings: other lines are UTF-8 but this one is not (likely Windows-1252); save the whole file as "CSV UTF-8"',
      );
    else
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

/** Reads one CSV file into a manifest (and its problems into `p`) through that manifest's assembly: for tests and tools. */
export async function readCsvManifest(bytes: Uint8Array, file: string, p: Problems, into: Manifest): Promise<void> {
  p.add(await readCsv(bytes, file, assemblyOf(into)));
}

/**
 * Reads one CSV file, row by row as the parser yields them (no record array), handing what its rows
 * give to the assembler; returns the file's problems. The streaming parser is about three times
 * faster than the sync one with per-record info, so lines are counted here: a record starts one
 * line after the previous one's last line break.
 */
export async function readCsv(bytes: Uint8Array, file: string, out: ReadSink): Promise<InputProblem[]> {
  const p = new Problems();
  await readCsvInto(bytes, file, p, out);
  return [...p.errors, ...p.warnings];
}

async function readCsvInto(bytes: Uint8Array, file: string, p: Problems, out: ReadSink): Promise<void> {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nul = raw.indexOf(0);
  if (nul >= 0) {
    p.error({ file, ...placeOf(raw, nul) }, "contains NUL bytes: this is not a text CSV file");
    return;
  }
  // Valid UTF-8 goes to the parser as bytes: decoding to a string first only for the parser to
  // encode it again costs a tenth of the time on big files.
  const errorsBefore = p.errors.length;
  const input: Buffer | string = isUtf8(raw) ? raw : decodeSpreadsheetBytes(bytes, file, p);
  if (p.errors.length > errorsBefore) return;
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
      header = record.map(headerKey);
      sink = startTable(header, { file, headerLine: line }, p, out);
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
            `cell ${columnLetters(i)}${line} has no header; the header has ${header.length} columns`,
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
    let records = 0;
    parser.on("data", (record: string[]) => {
      if (records > MAX_MANIFEST_RECORDS) return;
      if (++records > MAX_MANIFEST_RECORDS) {
        p.error({ file, line: nextLine }, `more than ${MAX_MANIFEST_RECORDS} rows in one CSV file; at most that many`);
        parser.destroy();
        resolve(false);
        return;
      }
      onRecord(record);
    });
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
