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
  const tmp = tempPath(path);
  const fh = await open(tmp, "wx", mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  } finally {
    await fh.close().catch(() => undefined);
  }
  await pauseBeforeRename(tmp);
  await rename(tmp, path);
  fsyncDirSync(dirname(path));
}
