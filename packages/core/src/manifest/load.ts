/** Reads manifests from files and folders, merges them, and checks what spans files. */
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { UserError } from "../errors.js";
import { Claims, readCsvManifest } from "./csvRead.js";
import { emptyManifest, type Manifest, type SourceRef } from "./model.js";
import { Problems } from "./problems.js";
import { readYamlManifest } from "./yamlRead.js";

export const MAX_MANIFEST_BYTES = 128 * 1024 * 1024;
const KINDS: Record<string, "csv" | "yaml"> = { ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".yaml": "yaml", ".yml": "yaml", ".json": "yaml" };

async function expand(paths: string[], p: Problems): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let st;
    try {
      st = await stat(path);
    } catch {
      p.error({ file: path }, "no such file or folder");
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(path)).filter((n) => KINDS[extname(n).toLowerCase()] && !n.startsWith(".")).sort();
      if (names.length === 0) p.error({ file: path }, "folder holds no .csv, .yaml, .yml or .json manifest");
      files.push(...names.map((n) => join(path, n)));
    } else files.push(path);
  }
  return files;
}

export interface LoadResult {
  manifest: Manifest;
  warnings: Problems["warnings"];
  files: string[];
}

/** Reads and validates; throws a UserError listing every problem (nothing is sent). */
export async function loadManifests(paths: string[]): Promise<LoadResult> {
  const p = new Problems();
  if (paths.length === 0) throw new UserError("no manifest given: name one or more YAML/CSV files or folders");
  const files = await expand(paths, p);
  const manifest = emptyManifest();
  const claims = new Claims();
  for (const file of files) {
    const kind = KINDS[extname(file).toLowerCase()];
    if (!kind) {
      p.error({ file }, "unknown manifest kind: use .yaml, .yml, .json or .csv");
      continue;
    }
    const size = (await stat(file)).size;
    if (size > MAX_MANIFEST_BYTES) {
      p.error({ file }, `file is ${Math.round(size / 1048576)} MB; manifests larger than ${MAX_MANIFEST_BYTES / 1048576} MB are refused`);
      continue;
    }
    const bytes = await readFile(file);
    if (kind === "csv") await readCsvManifest(bytes, file, p, manifest, claims);
    else {
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        p.error({ file, line: 1 }, "YAML manifests must be UTF-8");
        continue;
      }
      if (text.includes("\u0000")) {
        p.error({ file, line: 1 }, "contains NUL bytes: not a text file");
        continue;
      }
      readYamlManifest(text.replace(/^\uFEFF/, ""), file, p, manifest);
    }
  }
  checkAcrossFiles(manifest, p);
  p.throwIfAny();
  return { manifest, warnings: p.warnings, files };
}

export function checkAcrossFiles(m: Manifest, p: Problems): void {
  for (const d of m.domains.values()) {
    const ownerRef = (d as { ownerRef?: SourceRef }).ownerRef ?? d.source;
    delete (d as { ownerRef?: SourceRef }).ownerRef;
    if (d.register && d.transfer) p.error(d.source, `${d.display}: register and transfer both given; choose one`);
    const purchase = d.register ?? d.transfer;
    if (purchase && !m.owners[purchase.owner])
      p.error(ownerRef, `owner "${purchase.owner}" of ${d.display} is not defined${Object.keys(m.owners).length ? `; defined: ${Object.keys(m.owners).join(", ")}` : " (add it under owners)"}`);
    if (d.state === "deleted") {
      const others = (["nameservers", "lock", "autorenew", "registrant", "dns", "forwarding", "expiresNotBefore", "register", "transfer"] as const).filter(
        (k) => d[k] !== undefined,
      );
      if (others.length) p.error(d.source, `${d.display} is marked deleted but also manages ${others.join(", ")}; a deleted domain manages nothing else`);
    }
  }
}
