/**
 * Workbook bombs, made here: a ZIP whose sheet (or shared strings) repeats a megabyte of blanks
 * hundreds of times compresses to a few hundred kB, and its directory may declare the true size or lie.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { constants, deflateRawSync } from "node:zlib";
import { CFB, utils, write } from "@e965/xlsx";
import { UserError } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { loadManifests } from "./load.js";
import { MAX_WORKBOOK_EXPANDED, workbookTooBig } from "./workbookZip.js";

interface Part {
  name: string;
  /** Raw deflate data. */
  data: Buffer;
  /** What the directory says it expands to. */
  declared: number;
}

/** A ZIP as SheetJS reads it: local headers, data, central directory, end record (CRCs are not checked). */
function zip(parts: Part[]): Buffer {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data, declared } of parts) {
    const n = Buffer.from(name, "latin1");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(declared, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    out.push(local, n, data);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, dir, end]);
}

/** The parts of a real one-sheet workbook (domains a.se and b.se), as SheetJS writes it. */
function workbookParts(): Map<string, Buffer> {
  const wb = utils.book_new();
  utils.book_append_sheet(
    wb,
    utils.aoa_to_sheet([
      ["domain", "lock"],
      ["a.se", "true"],
      ["b.se", "false"],
    ]),
    "domains",
  );
  const bytes = write(wb, { type: "buffer", bookType: "xlsx", bookSST: true }) as Buffer;
  const cfb = CFB.read(bytes, { type: "buffer" });
  const parts = new Map<string, Buffer>();
  cfb.FileIndex.forEach((f: { type: number; content?: ArrayLike<number> }, i: number) => {
    if (f.type === 2 && f.content) parts.set(cfb.FullPaths[i]!.replace(/^Root Entry\//, ""), Buffer.from(f.content));
  });
  return parts;
}

/** A deflate stream of `xml` with `mb` megabytes of blanks after `after`: each piece flushed whole, so they concatenate. */
function padded(xml: string, after: string, mb: number): { data: Buffer; size: number } {
  const at = xml.indexOf(after) + after.length;
  const full = { finishFlush: constants.Z_FULL_FLUSH };
  const blanks = deflateRawSync(Buffer.alloc(1048576, " "), full);
  const data = Buffer.concat([
    deflateRawSync(Buffer.from(xml.slice(0, at)), full),
    ...Array.from({ length: mb }, () => blanks),
    deflateRawSync(Buffer.from(xml.slice(at))),
  ]);
  return { data, size: Buffer.byteLength(xml) + mb * 1048576 };
}

function book(bomb?: { part: string; after: string; mb: number; lie: boolean }): Buffer {
  const parts: Part[] = [];
  for (const [name, content] of workbookParts()) {
    if (bomb && name === bomb.part) {
      const { data, size } = padded(content.toString("utf8"), bomb.after, bomb.mb);
      parts.push({ name, data, declared: bomb.lie ? content.length : size });
    } else parts.push({ name, data: deflateRawSync(content), declared: content.length });
  }
  return zip(parts);
}

async function load(bytes: Buffer): Promise<{ dir: string; result: unknown }> {
  const dir = await mkdtemp(join(tmpdir(), "regdom-bomb-"));
  await writeFile(join(dir, "book.xlsx"), bytes);
  return { dir, result: await loadManifests([dir]).catch((e: unknown) => e) };
}

const OVER = MAX_WORKBOOK_EXPANDED / 1048576 + 1;

describe("workbooks that expand beyond the cap", () => {
  it("reads the workbook these bombs are made from", async () => {
    const { result } = await load(book());
    expect((result as { manifest: { domains: Map<string, unknown> } }).manifest.domains.size).toBe(2);
  });

  it.each([
    ["a sheet whose directory says so", "xl/worksheets/sheet1.xml", "<sheetData>", false],
    ["a sheet whose directory lies", "xl/worksheets/sheet1.xml", "<sheetData>", true],
    ["shared strings whose directory lies", "xl/sharedStrings.xml", "<sst", true],
  ])("refuses %s, naming the file (exit 2), before the library inflates it", async (_, part, after, lie) => {
    const bytes = book({ part, after, mb: OVER, lie });
    expect(bytes.length).toBeLessThan(2 * 1048576);
    const { dir, result } = await load(bytes);
    expect(result).toBeInstanceOf(UserError);
    expect((result as UserError).problems.map((x) => `${x.file.slice(dir.length)}: ${x.message}`)).toEqual([
      `/book.xlsx: the workbook expands to more than 256 MB (${lie ? "inflated" : `${OVER} MB declared`} at part "${part}"); workbooks that expand to more are refused`,
    ]);
  });

  it("measures a workbook under the cap as it is", async () => {
    const bytes = book({ part: "xl/worksheets/sheet1.xml", after: "<sheetData>", mb: 3, lie: true });
    expect(await workbookTooBig(bytes)).toBeUndefined();
    expect(await workbookTooBig(bytes, 2 * 1048576)).toMatch(/^the workbook expands to more than 2 MB \(inflated/);
  });
});
