/**
 * What a workbook expands to, measured before the spreadsheet library inflates it. SheetJS inflates
 * every entry of the ZIP whole, to the end of its deflate stream whatever the sizes declared, and a
 * 2 MB workbook can hold a 2 GiB sheet or shared-strings part (50 s, 4 GB, then read as "the sheet
 * is empty"). The entries SheetJS will read are found as it finds them (the end-of-directory record
 * searched from the end, then each central directory entry's local header) and inflated here as a
 * stream that counts and keeps nothing, stopping at the cap: a lying directory gains nothing.
 */
import { createInflateRaw } from "node:zlib";

/**
 * The most a workbook may expand to, all its parts together: the benchmark's 100k-domain portfolio
 * (100k domains, 500k DNS rows) as regdom writes it expands to 138 MB, and a part must stay under
 * what the library can hold as one string (V8's limit is 512 MB).
 */
export const MAX_WORKBOOK_EXPANDED = 256 * 1024 * 1024;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Why the workbook is refused, or undefined: sizes the library would meet are under the cap (or it will say what is wrong). */
export async function workbookTooBig(bytes: Uint8Array, max = MAX_WORKBOOK_EXPANDED): Promise<string | undefined> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = b.length - 22; i >= 0; i--)
    if (b.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) return undefined;
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const refuse = (name: string, what: string): string =>
    `the workbook expands to more than ${max / 1048576} MB (${what} at part ${JSON.stringify(name.slice(0, 80))}); workbooks that expand to more are refused`;
  // The sizes the directory declares first: an honest bomb is refused without inflating anything.
  let declared = 0;
  const parts: { name: string; offset: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== CENTRAL) return undefined;
    const usz = b.readUInt32LE(at + 24);
    const nameLen = b.readUInt16LE(at + 28);
    const extraLen = b.readUInt16LE(at + 30);
    const commentLen = b.readUInt16LE(at + 32);
    const name = b.toString("latin1", at + 46, at + 46 + nameLen);
    parts.push({ name, offset: b.readUInt32LE(at + 42) });
    declared += usz;
    if (usz === 0xffffffff || declared > max) return refuse(name, `${Math.round(usz / 1048576)} MB declared`);
    at += 46 + nameLen + extraLen + commentLen;
  }
  let total = 0;
  for (const { name, offset } of parts) {
    if (offset + 30 > b.length || b.readUInt32LE(offset) !== LOCAL) return undefined;
    const method = b.readUInt16LE(offset + 8);
    const csz = b.readUInt32LE(offset + 18);
    const start = offset + 30 + b.readUInt16LE(offset + 26) + b.readUInt16LE(offset + 28);
    if (method === 0) total += Math.min(csz, Math.max(0, b.length - start));
    else if (method === 8) total += await inflatedSize(b.subarray(start), max - total);
    if (total > max) return refuse(name, "inflated");
  }
  return undefined;
}

/** How many bytes a raw deflate stream inflates to, counting up to just over `limit` and keeping nothing. */
function inflatedSize(deflated: Buffer, limit: number): Promise<number> {
  return new Promise((resolve) => {
    const z = createInflateRaw({ chunkSize: 256 * 1024 });
    let n = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve(n);
    };
    z.on("data", (chunk: Buffer) => {
      n += chunk.length;
      if (n > limit) {
        finish();
        z.destroy();
      }
    });
    // A broken stream is the library's to report; what came out before counts.
    z.on("error", finish);
    z.on("end", finish);
    z.on("close", finish);
    z.end(deflated);
  });
}
