/**
 * Writes an export atomically (temp file + rename per file), and keeps backups: each in its own
 * UTC-time folder, finished by meta.json and a rename from `.partial`, `latest` pointing at the
 * newest, older ones pruned to `keep`.
 */
import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rename, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { usablePlace } from "@regdom/engine";
import { type AtomicFile, ensureDir, folderStamp, openFileAtomic, writeFileAtomic } from "@regdom/files";
import {
  csvLines,
  domainTableRows,
  emptyManifest,
  jsonManifestChunks,
  manifestRows,
  TABLE_ORDER,
  type TableCell,
  type TableKind,
  tableHeader,
  type WorkbookAbout,
  writeJsonManifest,
  writeXlsxManifest,
  writeYamlManifest,
  writeZoneFile,
  yamlManifestChunks,
  zoneNotes,
} from "@regdom/manifest";
import type { DomainSpool } from "./spool.js";

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

/** Writes one file in pieces through the atomic writer, and says what it wrote. */
class HashedFile {
  #hash = createHash("sha256");
  #bytes = 0;
  private constructor(readonly file: AtomicFile) {}

  static async open(path: string, mode: number): Promise<HashedFile> {
    return new HashedFile(await openFileAtomic(path, mode));
  }

  async write(piece: string): Promise<void> {
    const b = Buffer.from(piece);
    this.#hash.update(b);
    this.#bytes += b.length;
    await this.file.write(b);
  }

  async commit(): Promise<WrittenFile> {
    await this.file.commit();
    return { path: this.file.path, bytes: this.#bytes, sha256: this.#hash.digest("hex") };
  }
}

/**
 * Writes the spooled domains to `out` as they are read back, one at a time: a file for single-file
 * formats, else a folder of files (each file atomic). Only a workbook is built whole in memory.
 * The bytes are those the whole-manifest writers give (writeYamlManifest, writeCsvManifest, …).
 */
export async function writeExportFiles(
  out: string,
  spool: DomainSpool,
  format: ExportFormat,
  o: { split?: boolean; excel?: boolean; about: WorkbookAbout; secret: boolean },
): Promise<{ written: WrittenFile[]; notes: { domain: string; message: string }[] }> {
  const mode = o.secret ? 0o600 : 0o644;
  const head = emptyManifest();
  const written: WrittenFile[] = [];
  const notes: { domain: string; message: string }[] = [];
  if (format === "xlsx") {
    written.push(await writeAtomic(out, await writeXlsxManifest(spool.manifest(), o.about), mode));
    return { written, notes };
  }
  if ((format === "yaml" || format === "json") && !o.split) {
    const f = await HashedFile.open(out, mode);
    try {
      const chunks = format === "json" ? jsonManifestChunks : yamlManifestChunks;
      for (const piece of chunks(head, spool.domains())) await f.write(piece);
    } catch (e) {
      await f.file.abort();
      throw e;
    }
    written.push(await f.commit());
    return { written, notes };
  }
  // A folder of files with EPP codes is the owner's alone, whatever the umask.
  if (o.secret) usablePlace(() => ensureDir("the export folder", out, 0o700));
  else await mkdir(out, { recursive: true });
  if (format === "csv") {
    written.push(...(await writeCsvFiles(out, spool, mode, o.excel ?? false)));
    return { written, notes };
  }
  const now = new Date();
  for (const d of spool.domains()) {
    if (format === "bind") {
      if (!d.dns) continue;
      const zone = writeZoneFile(d, now);
      written.push(await writeAtomic(join(out, `${d.name}.zone`), zone.text, mode));
      notes.push(...zoneNotes(d, zone));
    } else {
      const one = emptyManifest();
      one.domains.set(d.name, d);
      written.push(
        await writeAtomic(
          join(out, `${d.name}.${format === "json" ? "json" : "yaml"}`),
          format === "json" ? writeJsonManifest(one) : writeYamlManifest(one),
          mode,
        ),
      );
    }
  }
  return { written, notes };
}

/** A CSV file per table that has rows, each opened at its first row and committed at the end. */
async function writeCsvFiles(out: string, spool: DomainSpool, mode: number, excel: boolean): Promise<WrittenFile[]> {
  const csv = csvLines({ excel });
  const files = new Map<TableKind, HashedFile>();
  const add = async (kind: TableKind, row: TableCell[]) => {
    let f = files.get(kind);
    if (!f) {
      f = await HashedFile.open(join(out, `${kind}.csv`), mode);
      files.set(kind, f);
      await f.write(csv.header(tableHeader(kind, spool.layout)));
    }
    await f.write(csv.row(row));
  };
  const head = emptyManifest();
  try {
    for (const [kind, row] of manifestRows(head, "before")) await add(kind, row);
    for (const d of spool.domains()) for (const [kind, row] of domainTableRows(d, spool.layout)) await add(kind, row);
    for (const [kind, row] of manifestRows(head, "after")) await add(kind, row);
  } catch (e) {
    for (const f of files.values()) await f.file.abort();
    throw e;
  }
  const written: WrittenFile[] = [];
  for (const kind of TABLE_ORDER) {
    const f = files.get(kind);
    if (f) written.push(await f.commit());
  }
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
