/**
 * The streaming XLSX reader reads cells as SheetJS does (the table reader's behaviour rests on it),
 * and leaves to SheetJS what it does not know.
 */
import { type CellObject, CFB, read, utils, type WorkSheet, write } from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { emptyManifest } from "./model.js";
import { openStreamWorkbook, type StreamCell } from "./xlsxStream.js";
import { writeXlsxManifest } from "./xlsxWrite.js";

function sheetJsCells(bytes: Uint8Array): Record<string, Record<string, StreamCell>> {
  const wb = read(bytes, {
    type: "buffer",
    dense: true,
    cellFormula: true,
    sheetStubs: true,
    cellDates: true,
    cellHTML: false,
    cellText: false,
    cellStyles: false,
  });
  const out: Record<string, Record<string, StreamCell>> = {};
  for (const name of wb.SheetNames) {
    const cells: Record<string, StreamCell> = {};
    const data = (wb.Sheets[name]?.["!data"] ?? []) as (CellObject[] | undefined)[];
    data.forEach((row, r) => {
      row?.forEach((c, col) => {
        if (c) cells[utils.encode_cell({ r, c: col })] = pick(c);
      });
    });
    out[name] = cells;
  }
  return out;
}

function streamCells(bytes: Uint8Array): Record<string, Record<string, StreamCell>> | undefined {
  const sheets = openStreamWorkbook(bytes);
  if (!sheets) return undefined;
  const out: Record<string, Record<string, StreamCell>> = {};
  for (const s of sheets) {
    const cells: Record<string, StreamCell> = {};
    s.rows((r, row) => {
      row.forEach((c, col) => {
        if (c) cells[utils.encode_cell({ r, c: col })] = pick(c);
      });
    });
    out[s.name] = cells;
  }
  return out;
}

function pick(c: StreamCell): StreamCell {
  const v = c.v instanceof Date ? `date ${c.v.toISOString()}` : c.v;
  return c.f === undefined ? { t: c.t, v } : { t: c.t, v, f: c.f };
}

function book(
  sheets: Record<string, (CellObject | string | number | boolean | null)[][]>,
  dates = false,
  bookSST = false,
): Uint8Array {
  const wb = utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws: WorkSheet = utils.aoa_to_sheet(rows, { cellDates: dates });
    for (const [ri, r] of rows.entries())
      for (const [ci, c] of r.entries())
        if (c !== null && typeof c === "object") ws[utils.encode_cell({ r: ri, c: ci })] = c;
    utils.book_append_sheet(wb, ws, name);
  }
  return write(wb, { type: "buffer", bookType: "xlsx", cellDates: dates, bookSST }) as Uint8Array;
}

function patch(bytes: Uint8Array, path: string, edit: (xml: string) => string): Uint8Array {
  const zip = CFB.read(Buffer.from(bytes), { type: "buffer" });
  const entry = CFB.find(zip, path)!;
  entry.content = Buffer.from(edit(Buffer.from(entry.content as Uint8Array).toString("utf8")), "utf8");
  return CFB.write(zip, { type: "buffer", fileType: "zip" }) as Uint8Array;
}

const VARIED = {
  "a & <b>": [
    ["domain", "note", "n", "flag", "when"],
    [
      "a.se",
      "x & y <z> \"q\" 'a' _x0041_ é 😀",
      42,
      true,
      { t: "d", v: new Date(Date.UTC(2027, 2, 15)) } as CellObject,
    ],
    ["b.se", "  spaced  ", 1.5, false, { t: "n", v: 46000, z: "yyyy-mm-dd" } as CellObject],
    ["c.se", { t: "e", v: 7 } as CellObject, { t: "n", v: 3, f: "1+2" } as CellObject, null, "line\r\nbreak"],
    [null, null, null, null, null],
    [
      "d.se",
      { t: "s", v: "x", f: 'CONCAT("x")' } as CellObject,
      -0.25,
      1e21,
      { t: "n", v: 59.5, z: "d/m/yy" } as CellObject,
    ],
  ],
  empty: [],
  second: [["domain"], ["e.se"]],
};

describe("the streaming XLSX reader", () => {
  it("reads SheetJS-written workbooks cell for cell as SheetJS does (types, dates, errors, formulas, entities)", () => {
    for (const [dates, sst] of [
      [false, false],
      [true, false],
      [false, true],
    ] as const) {
      const bytes = book(VARIED, dates, sst);
      expect(streamCells(bytes)).toEqual(sheetJsCells(bytes));
    }
  });

  it("reads regdom's own workbooks as SheetJS does", async () => {
    const m = emptyManifest();
    m.domains.set("a.se", {
      domain: "a.se",
      dns: [
        { host: "@", type: "A", address: "192.0.2.1" },
        { host: "mail", type: "MX", address: "mx.a.se", priority: 10 },
      ],
    } as never);
    const bytes = await writeXlsxManifest(m, { tool: "t", time: new Date(0) });
    const fast = streamCells(bytes);
    expect(fast).toBeDefined();
    expect(fast).toEqual(sheetJsCells(bytes));
  });

  it("reads rich text runs, inline strings, shared formulas, booleans and stubs as SheetJS does", () => {
    let bytes = book(
      {
        s: [
          ["domain", "host", "n"],
          ["a.se", "x", 1],
          ["b.se", "y", 2],
          ["c.se", "z", 3],
        ],
      },
      false,
      true,
    );
    bytes = patch(bytes, "/xl/worksheets/sheet1.xml", (xml) =>
      xml
        .replace(
          /<c r="B2"[^>]*>.*?<\/c>/,
          '<c r="B2" t="inlineStr"><is><r><t>in</t></r><r><rPr/><t xml:space="preserve">line &amp; </t></r></is></c>',
        )
        .replace(
          /<c r="C2"[^>]*>.*?<\/c>/,
          '<c r="C2"><f t="shared" ref="C2:C4" si="0">A2&amp;B$2&amp;$A3</f><v>1</v></c>',
        )
        .replace(/<c r="C3"[^>]*>.*?<\/c>/, '<c r="C3"><f t="shared" si="0"/><v>2</v></c>')
        .replace(/<c r="C4"[^>]*>.*?<\/c>/, '<c r="C4" t="b"><f>TRUE()</f><v>1</v></c><c r="D4" s="0"/>')
        .replace(/<c r="B3"[^>]*>.*?<\/c>/, '<c r="B3" t="str"><f>"a"</f><v>a&lt;b</v></c>'),
    );
    bytes = patch(bytes, "/xl/sharedStrings.xml", (xml) =>
      xml.replace(
        /<si><t>z<\/t><\/si>/,
        "<si><r><t>ri</t></r><r><rPr><b/></rPr><t>ch</t></r><rPh><t>ignored</t></rPh></si>",
      ),
    );
    const fast = streamCells(bytes);
    expect(fast).toBeDefined();
    expect(fast).toEqual(sheetJsCells(bytes));
    expect(fast?.s?.C3).toEqual({ t: "n", v: 2, f: "A3&B$2&$A4" });
  });

  it("leaves to SheetJS what it does not read: prefixed (strict-style) elements, a missing workbook part", () => {
    const bytes = book({ s: [["domain"], ["a.se"]] });
    const prefixed = patch(bytes, "/xl/worksheets/sheet1.xml", (xml) =>
      xml.replace(/<(\/?)worksheet\b/g, "<$1x:worksheet").replace('xmlns="', 'xmlns:x="'),
    );
    expect(openStreamWorkbook(prefixed)).toBeUndefined();
    const strict = patch(bytes, "/xl/workbook.xml", (xml) =>
      xml.replace(
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/spreadsheetml/main",
      ),
    );
    expect(openStreamWorkbook(strict)).toBeUndefined();
  });
});
