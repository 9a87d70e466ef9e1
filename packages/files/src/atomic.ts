/**
 * The one atomic writer: a complete temp file beside the target, fsync'd, renamed over it, then the
 * folder fsync'd so the rename itself survives a power cut. A reader sees the old file or the new
 * one, never a part. Run folders, exports and the sandbox's state all write through here.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { open, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let counter = 0;
const tempPath = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);

function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `data` to `path` atomically and durably, with `mode` (default 0600: plans may hold auth codes). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = tempPath(path);
  const fd = openSync(tmp, "wx", mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDirSync(dirname(path));
}

/**
 * Test hook, named as such: with REGDOM_TEST_PAUSE_BEFORE_RENAME set to a file path, the writer
 * writes that file (holding the temp path) once the temp file is complete, and then waits forever
 * before the rename, so a test can kill the process at exactly that point and prove nothing broke.
 */
async function pauseBeforeRename(tmp: string): Promise<void> {
  const marker = process.env.REGDOM_TEST_PAUSE_BEFORE_RENAME;
  if (!marker) return;
  await writeFile(marker, tmp);
  await new Promise(() => undefined);
}

/** The async twin of writeFileAtomicSync, for large exports. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const w = await openFileAtomic(path, mode);
  try {
    await w.write(data);
  } catch (e) {
    await w.abort();
    throw e;
  }
  await w.commit();
}

/** A file written in pieces, atomically: nothing is at `path` until `commit`, then all of it. */
export interface AtomicFile {
  readonly path: string;
  write(data: string | Uint8Array): Promise<void>;
  /** fsync, rename into place, fsync the folder. */
  commit(): Promise<void>;
  /** Removes the temp file; `path` is left as it was. */
  abort(): Promise<void>;
}

/** Opens a temp file beside `path` for a file too large to hold in memory whole (an export). */
export async function openFileAtomic(path: string, mode = 0o600): Promise<AtomicFile> {
  const tmp = tempPath(path);
  const fh = await open(tmp, "wx", mode);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  // Small pieces (a domain's lines) are gathered and written some hundred kB at a time.
  let pending: (string | Uint8Array)[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = Buffer.concat(pending.map((d) => (typeof d === "string" ? Buffer.from(d) : d)));
    pending = [];
    pendingBytes = 0;
    await fh.writeFile(chunk);
  };
  return {
    path,
    async write(data) {
      pending.push(data);
      pendingBytes += data.length;
      if (pendingBytes >= 256 * 1024) await flush();
    },
    async commit() {
      try {
        await flush();
        await fh.sync();
      } catch (e) {
        await close();
        await rm(tmp, { force: true });
        throw e;
      }
      await close();
      await pauseBeforeRename(tmp);
      await rename(tmp, path);
      fsyncDirSync(dirname(path));
    },
    async abort() {
      await close().catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}
