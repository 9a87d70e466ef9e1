/**
 * Writes an export atomically (temp file + rename per file), and keeps backups: each in its own
 * UTC-time folder, finished by meta.json and a rename from `.partial`, `latest` pointing at the
 * newest, older ones pruned to `keep`.
 */
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rename, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { usablePlace } from "@regdom/engine";
import { ensureDir, folderStamp, writeFileAtomic } from "@regdom/files";
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
  // A folder of files with EPP codes is the owner's alone, whatever the umask.
  if (secret) usablePlace(() => ensureDir("the export folder", out, 0o700));
  else await mkdir(out, { recursive: true });
  for (const [name, text] of files) written.push(await writeAtomic(join(out, name), text, mode));
  return written;
}

export function backupStamp(now = new Date()): string {
  return folderStamp(now);
}

/** The name of a backup folder: exactly a stamp, as backupStamp makes it. */
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;
/** Made in a `.partial` folder first thing, so an abandoned one is known to be regdom's. */
export const PARTIAL_MARK = ".regdom-export-partial";

/** Makes the folder a backup is written into, marked as regdom's, 0700 whatever the umask. */
export async function makePartial(partial: string): Promise<void> {
  usablePlace(() => ensureDir("the backup folder", partial, 0o700));
  await writeFileAtomic(join(partial, PARTIAL_MARK), "regdom-export writes a backup here\n", 0o600);
}

/** Whether regdom-export wrote this folder: its meta.json, or the mark of a backup being written. */
async function regdomWrote(folder: string, partial: boolean): Promise<boolean> {
  if (partial) return (await lstat(join(folder, PARTIAL_MARK)).catch(() => undefined))?.isFile() ?? false;
  try {
    const meta = JSON.parse(await readFile(join(folder, "meta.json"), "utf8")) as { tool?: unknown };
    return typeof meta.tool === "string" && meta.tool.startsWith("regdom-export ");
  } catch {
    return false;
  }
}

/**
 * Keeps the newest `keep` complete backups, removes older ones and abandoned `.partial` folders:
 * only folders named as regdom names them and holding what regdom writes (a user's folder named
 * like a date, or holding a meta.json of its own, is never removed).
 */
export async function pruneBackups(dir: string, keep: number, current: string): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  const complete: string[] = [];
  const abandoned: string[] = [];
  for (const n of names.sort().reverse()) {
    if (STAMP.test(n) && (await regdomWrote(join(dir, n), false))) complete.push(n);
    else if (
      n.endsWith(".partial") &&
      n !== `${current}.partial` &&
      STAMP.test(n.slice(0, -".partial".length)) &&
      (await regdomWrote(join(dir, n), true))
    )
      abandoned.push(n);
  }
  const remove = [...complete.slice(keep), ...abandoned];
  for (const n of remove) await rm(join(dir, n), { recursive: true, force: true });
  return remove;
}

export async function pointLatest(dir: string, target: string): Promise<void> {
  const tmp = join(dir, `.latest.${process.pid}.tmp`);
  await rm(tmp, { force: true });
  await symlink(target, tmp);
  await rename(tmp, join(dir, "latest"));
}
