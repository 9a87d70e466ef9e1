/**
 * Folders regdom writes into (run folders, the state folder, export folders), made and checked
 * before anything is sent: a path under a file, a read-only folder or /proc is said with the path
 * and the reason. Made one level at a time, since Node's recursive mkdir spins forever under /proc
 * (every level answers ENOENT there).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmdirSync, statSync } from "node:fs";
import { dirname, join, parse, resolve } from "node:path";

/** A folder regdom cannot make or write in. */
export class PlaceError extends Error {
  constructor(
    readonly place: string,
    readonly path: string,
    readonly why: string,
  ) {
    super(`${place} ${path} cannot be used: ${why}`);
    this.name = "PlaceError";
  }
}

function why(at: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOTDIR":
      return `a part of ${at} is a file, not a folder`;
    case "EACCES":
    case "EPERM":
      return `permission denied at ${at}`;
    case "EROFS":
      return `${at} is on a read-only file system`;
    case "ENOENT":
      return `no folder can be made at ${at}`;
    case "ENOSPC":
    case "EDQUOT":
      return `no space left at ${at}`;
    default:
      return `${at}: ${code ?? String(e)}`;
  }
}

/** Whether `path` is a folder (false when nothing is there); a file there is a PlaceError. */
function isFolder(place: string, target: string, path: string): boolean {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Not there, or under a file: the caller walks up to say which.
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw new PlaceError(place, target, why(path, e));
  }
  if (!st.isDirectory()) throw new PlaceError(place, target, `${path} is a file, not a folder`);
  return true;
}

/** Proves a folder can be written in by making and removing an empty folder there (root passes any mode check). */
function probe(place: string, target: string, dir: string): void {
  try {
    rmdirSync(mkdtempSync(join(dir, ".regdom-probe-")));
  } catch (e) {
    throw new PlaceError(place, target, why(dir, e));
  }
}

/** Makes `dir` (each new level with `mode` exactly) when it is not there, and checks it is a folder regdom can write in. */
export function ensureDir(place: string, dir: string, mode = 0o700): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let at = abs;
  while (!isFolder(place, dir, at)) {
    missing.unshift(at);
    if (at === parse(at).root) break;
    at = dirname(at);
  }
  for (const level of missing)
    try {
      mkdirSync(level, { mode });
      // The mode exactly, whatever the umask: these folders may hold auth codes.
      chmodSync(level, mode);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && isFolder(place, dir, level)) continue;
      throw new PlaceError(place, dir, why(level, e));
    }
  probe(place, dir, abs);
}

/** Checks, without making anything, that `dir` could be made (or is there) and written in. */
export function checkCanMake(place: string, dir: string): void {
  let at = resolve(dir);
  while (!isFolder(place, dir, at)) {
    if (at === parse(at).root) return;
    at = dirname(at);
  }
  probe(place, dir, at);
}
