/**
 * Reads a manifest file as bytes, only when it is a regular file of bounded size, and only through
 * links that stay inside the folder that holds them: a pull request that adds a manifest (or a link
 * named like one) must not make regdom read the runner's tokens, /etc/passwd, /dev/zero or a FIFO.
 */
import { constants, type Stats } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative } from "node:path";

export type FileBytes = { bytes: Buffer } | { refused: string };

/** What a path that is not a regular file is, for the error. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * Where a link leads when it stays inside `folder`, or a refusal. `folder` is the folder named on the
 * command line for the files found in it, or the folder holding a file named on the command line.
 */
export async function resolveInside(
  path: string,
  folder = dirname(path),
): Promise<{ real: string } | { refused: string }> {
  let real: string;
  let root: string;
  try {
    root = await realpath(folder);
    real = await realpath(path);
  } catch (e) {
    return { refused: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  const rel = relative(root, real);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel))
    return {
      refused:
        "a symbolic link that leads outside its folder: refused (links in a manifest folder may only lead to files inside it)",
    };
  return { real };
}

/**
 * The bytes of a regular file, at most `max` of them: counted as read (a device or a /proc file says
 * size 0), so memory stays bounded whatever the file is. Opened without blocking (a FIFO with no
 * writer would wait forever) and without following a last link (resolve first, with resolveInside).
 */
export async function readRegularFile(path: string, max: number): Promise<FileBytes> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return { refused: "a symbolic link: refused (name the file it leads to)" };
    return { refused: `cannot be read (${code ?? String(e)})` };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { refused: `cannot be read: ${kindOf(st)}, not a regular file` };
    const tooBig = (): FileBytes => ({
      refused: `file is larger than ${max >= 1048576 ? `${max / 1048576} MB` : `${max} bytes`}; manifests larger than that are refused`,
    });
    if (st.size > max) return tooBig();
    const chunks: Buffer[] = [];
    let total = 0;
    // One read of the size stat gives (plus one byte to see the end), then more only for files that grow or lie.
    let want = Math.min(st.size + 1, max + 1);
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.max(want, 65536));
      let filled = 0;
      while (filled < buf.length) {
        const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      total += filled;
      if (total > max) return tooBig();
      chunks.push(filled === buf.length ? buf : buf.subarray(0, filled));
      if (filled < buf.length) break;
      want = Math.min(max + 1 - total, 1048576 * 8);
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (e) {
    return { refused: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  } finally {
    await fh.close();
  }
}
