/** Reads manifests from files and folders, merges them, and checks what spans files. */
import { lstat, readdir, stat } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { type InputProblem, UserError } from "@regdom/core/data";
import { Assembly, acrossFiles } from "./assemble.js";
import { readRegularFile, resolveInside } from "./fileRead.js";
import { MAX_MANIFEST_RECORDS } from "./limits.js";
import type { Manifest, SourceRef } from "./model.js";
import { type Problems, summarizeProblems } from "./problems.js";
import { headerKey, isCommentColumn, tableKind } from "./tableRead.js";
import { placeOf, utf8Breaks } from "./textBytes.js";
import { MAX_WORKBOOK_EXPANDED, workbookTooBig } from "./workbookZip.js";
import { loadFastYaml } from "./yamlLib.js";
import { readYaml, SPLIT_BYTES } from "./yamlRead.js";

type Kind = "csv" | "xlsx" | "yaml" | "zone";

export const MAX_MANIFEST_BYTES = 128 * 1024 * 1024;
const KINDS: Record<string, Kind> = {
  ".zone": "zone",
  ".csv": "csv",
  ".xlsx": "xlsx",
  ".tsv": "csv",
  ".txt": "csv",
  ".yaml": "yaml",
  ".yml": "yaml",
  ".json": "yaml",
};

/** A manifest file, and the folder its links must stay inside: the folder named, or the one holding the file named. */
interface Found {
  file: string;
  folder: string;
  /** Found by listing a folder (not named): a `.txt` there that is not a manifest is skipped. */
  listed?: boolean;
}

/** The files named and those in the folders named, each once (a shell glob and its folder may overlap). */
async function expand(paths: string[], p: Say, skipped: Map<string, string[]>): Promise<Found[]> {
  const files: Found[] = [];
  const seen = new Set<string>();
  const add = (file: string, folder: string, listed = false): void => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(listed ? { file, folder, listed } : { file, folder });
  };
  for (const path of paths) {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(path);
    } catch {
      p.error({ file: path }, "no such file or folder");
      continue;
    }
    if (st.isDirectory()) {
      // A folder named through a link (a shell glob names one a pull request added) is read only when
      // the link stays inside the folder holding it; `link/` names the folder it leads to on purpose.
      if ((await lstat(path)).isSymbolicLink()) {
        const inside = await resolveInside(path, dirname(path));
        if ("refused" in inside) {
          p.error({ file: path }, `${inside.refused}; end the name with / to read the folder it leads to`);
          continue;
        }
      }
      let names: string[];
      try {
        const all = (await readdir(path)).filter((n) => !n.startsWith(".") && !n.startsWith("~$")).sort();
        names = all.filter((n) => KINDS[extname(n).toLowerCase()]);
        // A README, notes or a PDF beside the manifests: skipped, said once for the folder.
        const others = all.filter((n) => !KINDS[extname(n).toLowerCase()]);
        if (others.length) skipped.set(path, others);
      } catch (e) {
        p.error({ file: path }, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
        continue;
      }
      if (names.length === 0)
        p.error({ file: path }, "folder holds no .csv, .xlsx, .yaml, .yml, .json or .zone manifest");
      for (const n of names) add(join(path, n), path, true);
    } else add(path, dirname(path));
  }
  return files;
}

type ManifestBytes = { kind: Kind; bytes: Buffer } | { refused: string };

/** Never rejects: it may run ahead of the file being parsed, where nothing awaits it yet. */
async function readManifestBytes({ file, folder }: Found): Promise<ManifestBytes> {
  const kind = KINDS[extname(file).toLowerCase()];
  if (!kind) return { refused: "unknown manifest kind: use .yaml, .yml, .json, .csv, .xlsx or .zone" };
  try {
    const inside = await resolveInside(file, folder);
    if ("refused" in inside) return inside;
    const read = await readRegularFile(inside.real, MAX_MANIFEST_BYTES);
    return "refused" in read ? read : { kind, bytes: read.bytes };
  } catch (e) {
    return { refused: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

export interface LoadResult {
  manifest: Manifest;
  warnings: InputProblem[];
  files: string[];
}

/** The loader's own problems (a file refused, a folder empty), said in order among the files' problems. */
interface Say {
  error(ref: SourceRef, message: string): void;
  warn(ref: SourceRef, message: string): void;
}

export interface LoadOptions {
  /** Zone files: skip records of types the registrar does not offer (each listed as a warning). */
  skipUnsupported?: boolean;
}

/** Reads and validates; throws a UserError listing every problem (nothing is sent). */
export async function loadManifests(paths: string[], o: LoadOptions = {}): Promise<LoadResult> {
  if (paths.length === 0) throw new UserError("no manifest given: name one or more YAML/CSV files or folders");
  // The one assembly of this load: each file's reader hands it what it read, and its problems.
  const a = new Assembly();
  const { manifest } = a;
  const p: Say = {
    error: (ref, message) => a.report([{ ...ref, message, severity: "error" }]),
    warn: (ref, message) => a.report([{ ...ref, message, severity: "warning" }]),
  };
  const skipped = new Map<string, string[]>();
  const files = await expand(paths, p, skipped);
  const readFiles: string[] = [];
  // The next file is read while this one is parsed: reading 20 MB is 60 ms of waiting otherwise.
  let next = files.length > 0 ? readManifestBytes(files[0]!) : undefined;
  let counted = 0;
  let sinceCounted = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!.file;
    const read = await next!;
    next = i + 1 < files.length ? readManifestBytes(files[i + 1]!) : undefined;
    if ("refused" in read) {
      p.error({ file }, read.refused);
      continue;
    }
    const { bytes } = read;
    let kind = read.kind;
    // The CSV, XLSX and zone readers (and the libraries they stand on) are loaded when a file of
    // their kind comes; YAML, the manifests' first format, is loaded with this module.
    const zone = () => import("./zoneRead.js");
    if (
      kind === "csv" &&
      extname(file).toLowerCase() === ".txt" &&
      (await zone()).looksLikeZoneFile(bytes.toString("utf8"))
    ) {
      // A zone export saved as .txt: a zone when its name gives the domain, else the name to give it.
      if (!(await zone()).domainOfFileName(file)) {
        p.error({ file, line: 1 }, "this is a zone file (a DNS master file), not a CSV: rename it to DOMAIN.zone");
        continue;
      }
      kind = "zone";
    } else if (kind === "csv" && files[i]!.listed && extname(file).toLowerCase() === ".txt" && !looksLikeTable(bytes)) {
      // notes.txt in a manifest folder is notes, not a CSV manifest to refuse.
      const folder = files[i]!.folder;
      skipped.set(folder, [...(skipped.get(folder) ?? []), basename(file)].sort());
      continue;
    }
    readFiles.push(file);
    if (kind === "csv") a.report(await (await import("./csvRead.js")).readCsv(bytes, file, a));
    else if (kind === "xlsx") {
      const tooBig = await workbookTooBig(bytes);
      if (tooBig) p.error({ file }, tooBig);
      else a.report((await import("./xlsxRead.js")).readXlsx(bytes, file, a));
    } else {
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        const at = utf8Breaks(bytes)?.first ?? 0;
        p.error(
          { file, ...placeOf(bytes, at) },
          `${kind === "zone" ? "zone files" : "YAML manifests"} must be UTF-8: the byte 0x${bytes[at]?.toString(16).toUpperCase()} here is not`,
        );
        continue;
      }
      const nul = bytes.indexOf(0);
      if (nul >= 0) {
        p.error({ file, ...placeOf(bytes, nul) }, "contains NUL bytes: not a text file");
        continue;
      }
      if (kind === "zone") a.report((await zone()).readZone(text, file, a, o));
      else {
        if (text.length >= SPLIT_BYTES) await loadFastYaml();
        a.report(readYaml(text.replace(/^\uFEFF/, ""), file, a));
      }
    }
    // A domain or record takes at least 2 bytes of a text file ("x\n"), of what a workbook may expand
    // to, or of a YAML file read again through each of its at most 100 aliases: the manifest is
    // counted only once the files read since it was last counted could have taken it over the cap,
    // so a folder of 10,000 zone files is not counted 10,000 times.
    sinceCounted += kind === "xlsx" ? MAX_WORKBOOK_EXPANDED : kind === "yaml" ? bytes.length * 101 : bytes.length;
    if (counted + sinceCounted / 2 > MAX_MANIFEST_RECORDS) {
      counted = manifestSize(manifest);
      sinceCounted = 0;
      if (counted > MAX_MANIFEST_RECORDS) {
        p.error(
          { file },
          `the manifest holds more than ${MAX_MANIFEST_RECORDS} domains and DNS records with this file; at most ${MAX_MANIFEST_RECORDS}`,
        );
        break;
      }
    }
  }
  for (const [folder, names] of skipped)
    p.warn(
      { file: folder },
      `skipped ${names.length} file(s) that are not manifests: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}`,
    );
  a.finish();
  if (a.errors.length > 0) throw new UserError(summarizeProblems(a.errors), a.errors);
  return { manifest, warnings: a.warnings, files: readFiles };
}

/** Whether a text file's first row is the header of a manifest table (a `.txt` may be notes instead). */
function looksLikeTable(bytes: Buffer): boolean {
  const text = bytes
    .subarray(0, 65536)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  // The delimiter a spreadsheet chose: the one the header row holds most of.
  const delimiter = [",", ";", "\t"].reduce((a, b) => (first.split(b).length > first.split(a).length ? b : a));
  const header = first.split(delimiter).map((c) => headerKey(c.replace(/^\s*"|"\s*$/g, "")));
  return tableKind(header.filter((h) => !isCommentColumn(h))) !== undefined;
}

/** Domains and DNS records so far (a file gives a domain's records at once, so this is counted after each file). */
function manifestSize(m: Manifest): number {
  let n = m.domains.size;
  for (const d of m.domains.values()) n += d.dns?.length ?? 0;
  return n;
}

/** The checks that span files, on a manifest filled file by file through the one-file readers (tests, tools). */
export function checkAcrossFiles(m: Manifest, p: Problems): void {
  p.add(acrossFiles(m));
}
