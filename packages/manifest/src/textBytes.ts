/** Where text files go wrong, by line and column: the first byte that is not UTF-8, a NUL. */
import { isUtf8 } from "node:buffer";

export interface TextPlace {
  /** 1-based. */
  line: number;
  /** 1-based, in characters of the line. */
  column: number;
}

/** The line and column of a byte offset (the bytes before it on its line are read as UTF-8). */
export function placeOf(bytes: Uint8Array, offset: number): TextPlace {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let line = 1;
  let lineStart = 0;
  for (let i = b.indexOf(10); i !== -1 && i < offset; i = b.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: [...b.toString("utf8", lineStart, offset)].length + 1 };
}

/** How the bytes are not UTF-8: where first, and whether they also hold valid multi-byte sequences (a mixed file). */
export function utf8Breaks(bytes: Uint8Array): { first: number; mixed: boolean } | undefined {
  let first = -1;
  let multiByte = false;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (len > 1 && isUtf8(bytes.subarray(i, i + len))) {
      multiByte = true;
      i += len;
    } else {
      if (first < 0) first = i;
      i++;
    }
    if (first >= 0 && multiByte) break;
  }
  return first < 0 ? undefined : { first, mixed: multiByte };
}
