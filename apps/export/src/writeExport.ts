/**
 * Writes an export atomically (temp file + rename per file), and keeps backups: each in its own
 * UTC-time folder, finished by meta.json and a rename from `.partial`, `latest` pointing at the
 * newest, older ones pruned to `keep`.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, rename, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { folderStamp, writeFileAtomic } from "@regdom/files";
import {
  emptyManifest,
  type Manifest,
  sortedDomains,
  type WorkbookAbout,
  writeCsvManifest,
  writeJsonManifest,
  writeXlsxManifest,
  writeYamlManifest,
  writeZoneFiles,
} from "@regdom/manifest";

export type ExportFormat = "yaml" | "csv" | "json" | "bind" | "xlsx";

/** A file's content: text, or bytes (a workbook). */
export type FileContent = string | Uint8Array;

export interface WrittenFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** Writes one file through the one atomic writer, and says what it wrote. */
export async function writeAtomic(path: string, content: FileContent, mode: number): Promise<WrittenFile> {
  await writeFileAtomic(path, content, mode);
  const bytes = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
  return { path, bytes, sha256: createHash("sha256").update(content).digest("hex") };
}

/** What the files will hold: name (relative to the output; "" for a single file) to content. */
export async function renderExport(
  m: Manifest,
  format: ExportFormat,
  o: { split?: boolean; excel?: boolean; about: WorkbookAbout },
): Promise<Map<string, FileContent>> {
  if (format === "xlsx") return new Map([["", await writeXlsxManifest(m, o.about)]]);
  if (format === "csv") return writeCsvManifest(m, { excel: o.excel ?? false });
  if (format === "bind") return writeZoneFiles(m).files;
  if (o.split) {
    const out = new Map<string, string>();
    for (const d of sortedDomains(m)) {
      const one = emptyManifest();
      one.domains.set(d.name, d);
      out.set(
        `${d.name}.${format === "json" ? "json" : "yaml"}`,
        format === "json" ? writeJsonManifest(one) : writeYamlManifest(one),
      );
    }
    return out;
  }
  return new Map([["", format === "json" ? writeJsonManifest(m) : writeYamlManifest(m)]]);
}

/** Writes to `out`: a file for single-file formats, else a folder of files. */
export async function writeExport(
  out: string,
  files: Map<string, FileContent>,
  secret: boolean,
): Promise<WrittenFile[]> {
  const mode = secret ? 0o600 : 0o644;
  const written: WrittenFile[] = [];
  if (files.size === 1 && files.has("")) {
    written.push(await writeAtomic(out, files.get("")!, mode));
    return written;
  }
  await mkdir(out, { recursive: true });
  for (const [name, text] of files) written.push(await writeAtomic(join(out, name), text, mode));
  return written;
}

export function backupStamp(now = new Date()): string {
  return folderStamp(now);
}

/** Keeps the newest `keep` complete backups, removes older ones and abandoned `.partial` folders. */
export async function pruneBackups(dir: string, keep: number, current: string): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const complete = names
    .filter((n) => /^\d{4}-\d{2}-\d{2}T/.test(n) && !n.endsWith(".partial"))
    .sort()
    .reverse();
  const remove = [
    ...complete.slice(keep),
    ...names.filter((n) => n.endsWith(".partial") && n !== `${current}.partial`),
  ];
  for (const n of remove) await rm(join(dir, n), { recursive: true, force: true });
  return remove;
}

export async function pointLatest(dir: string, target: string): Promise<void> {
  const tmp = join(dir, `.latest.${process.pid}.tmp`);
  await rm(tmp, { force: true });
  await symlink(target, tmp);
  await rename(tmp, join(dir, "latest"));
}
