/** Names from a text file (one per line, `#` comments) or a CSV with a `domain` column. */
import { readFile } from "node:fs/promises";
import { UserError } from "@regdom/core/data";
import { parse } from "csv-parse/sync";
import { sniffDelimiter } from "./csvRead.js";

export async function readNameList(path: string): Promise<string[]> {
  let text: string;
  try {
    text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  } catch {
    throw new UserError(`cannot read ${path}`);
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = sniffDelimiter(text);
  const header = firstLine.split(delimiter).map((h) => h.trim().replace(/^"|"$/g, "").toLowerCase());
  if (header.includes("domain") && (header.length > 1 || firstLine.trim().toLowerCase() === "domain")) {
    const rows = parse(text, {
      delimiter,
      columns: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
    }) as Record<string, string>[];
    const key = Object.keys(rows[0] ?? {}).find((k) => k.trim().toLowerCase() === "domain") ?? "domain";
    return rows.map((r) => (r[key] ?? "").trim()).filter(Boolean);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}
