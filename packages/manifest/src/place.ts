/**
 * Where an input problem is, as people read it: `file:line:column`, or `file.xlsx:Sheet!B7` in a
 * workbook (the manifest's readers say which). Light on purpose: the CLI kit imports it alone.
 */
import type { InputProblem } from "@regdom/core/errors";

/** A spreadsheet column's letters: 0 → A, 25 → Z, 26 → AA. */
export const columnLetters = (i: number): string =>
  i < 26 ? String.fromCharCode(65 + i) : columnLetters(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26));

/** Where a problem is: `file:line:column`, or `file.xlsx:Sheet!B7` in a workbook. */
export function formatPlace(p: Pick<InputProblem, "file" | "sheet" | "line" | "column">): string {
  if (p.sheet !== undefined) {
    const sheet = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(p.sheet) ? p.sheet : `'${p.sheet.replaceAll("'", "''")}'`;
    if (p.line === undefined) return `${p.file}:${sheet}`;
    return `${p.file}:${sheet}!${columnLetters((p.column ?? 1) - 1)}${p.line}`;
  }
  return [p.file, p.line, p.line !== undefined ? (p.column ?? 1) : undefined].filter((x) => x !== undefined).join(":");
}

export function formatProblem(p: InputProblem): string {
  return `${formatPlace(p)}: ${p.severity === "warning" ? "warning: " : ""}${p.message}`;
}
