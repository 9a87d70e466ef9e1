/**
 * Windows-1252, as Excel writes "CSV" on Windows. Node 20 (small ICU) decodes the label as
 * Latin-1, which turns bytes 0x80–0x9F (€ – — “ ” ‘ ’ … and others) into invisible control
 * characters; those 32 bytes are mapped here as the code page defines them.
 */
const HIGH: readonly (number | undefined)[] = [
  0x20ac,
  undefined,
  0x201a,
  0x0192,
  0x201e,
  0x2026,
  0x2020,
  0x2021,
  0x02c6,
  0x2030,
  0x0160,
  0x2039,
  0x0152,
  undefined,
  0x017d,
  undefined,
  undefined,
  0x2018,
  0x2019,
  0x201c,
  0x201d,
  0x2022,
  0x2013,
  0x2014,
  0x02dc,
  0x2122,
  0x0161,
  0x203a,
  0x0153,
  undefined,
  0x017e,
  0x0178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const out: string[] = [];
  let chunk: number[] = [];
  for (const b of bytes) {
    // Undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) pass through as the C1 control, as WHATWG does.
    chunk.push(b >= 0x80 && b <= 0x9f ? (HIGH[b - 0x80] ?? b) : b);
    if (chunk.length === 8192) {
      out.push(String.fromCharCode(...chunk));
      chunk = [];
    }
  }
  out.push(String.fromCharCode(...chunk));
  return out.join("");
}
