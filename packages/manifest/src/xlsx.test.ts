/**
 * XLSX workbooks as manifests: sheets known by their header, cells read by type, problems named by
 * sheet and cell; and the writer's workbook, read back to the same manifest.
 */
import { type CellObject, CFB, read, utils, type WorkSheet, write } from "@e965/xlsx";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeCsvManifest } from "./csvWrite.js";
import { checkAcrossFiles } from "./load.js";
import { emptyManifest, type Manifest } from "./model.js";
import { formatProblem } from "./place.js";
import { Problems } from "./problems.js";
import { readXlsxManifest } from "./xlsxRead.js";
import { writeXlsxManifest } from "./xlsxWrite.js";
import { readYamlManifest } from "./yamlRead.js";
import { manifestObject } from "./yamlWrite.js";

/** A workbook made by SheetJS (not by our writer), sheets given as rows of cells. */
function workbook(sheets: Record<string, (CellObject | string | number | boolean | null)[][]>): Uint8Array {
  const wb = utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws: WorkSheet = utils.aoa_to_sheet(rows);
    // aoa_to_sheet takes plain values; cell objects (formulas, errors, dates) are put in place.
    for (const [ri, r] of rows.entries())
      for (const [ci, c] of r.entries())
        if (c !== null && typeof c === "object") ws[utils.encode_cell({ r: ri, c: ci })] = c;
    utils.book_append_sheet(wb, ws, name);
  }
  return write(wb, { type: "buffer", bookType: "xlsx" }) as Uint8Array;
}

/** The workbook with its first sheet's XML rewritten (as another generator would have written it). */
function patchSheet(bytes: Uint8Array, edit: (xml: string) => string): Uint8Array {
  const zip = CFB.read(Buffer.from(bytes), { type: "buffer" });
  const entry = CFB.find(zip, "/xl/worksheets/sheet1.xml")!;
  entry.content = Buffer.from(edit(Buffer.from(entry.content as Uint8Array).toString("utf8")), "utf8");
  return CFB.write(zip, { type: "buffer", fileType: "zip" }) as Uint8Array;
}

function readBook(bytes: Uint8Array, file = "p.xlsx") {
  const m = emptyManifest();
  const p = new Problems();
  readXlsxManifest(bytes, file, p, m);
  return { m, p, errors: p.errors.map(formatProblem), warnings: p.warnings.map(formatProblem) };
}

const DOMAINS = ["domain", "ns1", "ns2", "lock", "autorenew", "expires_not_before"];

describe("reading a workbook", () => {
  it("a column whose header starts with # is a comment", () => {
    const { m, errors } = readBook(
      workbook({
        Blad1: [
          ["domain", "lock", "#ticket"],
          ["exempel.se", true, "OPS-42"],
        ],
      }),
    );
    expect(errors).toEqual([]);
    expect(m.domains.get("exempel.se")?.lock).toBe(true);
  });
  it("knows sheets by their header whatever they are called, and reads cells by type", () => {
    const { m, errors, warnings } = readBook(
      workbook({
        Portfölj: [
          DOMAINS,
          [
            "exempel.se",
            "ns1.a.se",
            "ns2.a.se",
            true,
            { t: "b", v: false, f: "FALSE()" },
            { t: "d", v: new Date(Date.UTC(2027, 2, 15)) } as CellObject,
          ],
        ],
        "Blad 2": [
          ["domain", "host", "type", "address", "priority"],
          ["exempel.se", "@", "MX", "mx.exempel.se", 10],
          ["exempel.se", "www", "A", "192.0.2.1", null],
          // A TXT value a spreadsheet holds as a number: its digits, never 1.234E+15.
          ["exempel.se", "@", "TXT", 1234567890123456, null],
        ],
        Kontakt: [
          ["domain", "name", "zip_code", "country", "telephone"],
          ["exempel.se", "Åsa Öberg", 11122, "SE", "+46.701234567"],
        ],
        Tom: [],
      }),
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual(["p.xlsx:Tom: warning: the sheet is empty: skipped"]);
    const d = m.domains.get("exempel.se")!;
    expect(d.nameservers).toEqual(["ns1.a.se", "ns2.a.se"]);
    expect(d.lock).toBe(true);
    expect(d.autorenew).toBe(false);
    expect(d.expiresNotBefore).toBe("2027-03-15");
    expect(d.dns).toEqual([
      { host: "@", type: "MX", address: "mx.exempel.se", priority: 10 },
      { host: "www", type: "A", address: "192.0.2.1", priority: null },
      { host: "@", type: "TXT", address: "1234567890123456", priority: null },
    ]);
    expect(d.registrant).toMatchObject({ name: "Åsa Öberg", zip_code: "11122", telephone: "+46.701234567" });
    expect(d.source).toMatchObject({ file: "p.xlsx", sheet: "Portfölj", line: 2 });
  });

  it("names sheet and cell for every value it cannot read, and says what would be valid", () => {
    const { errors } = readBook(
      workbook({
        dns: [
          ["domain", "host", "type", "address", "priority"],
          ["a.se", { t: "s", v: "www.a.se", f: 'CONCAT("www.";A2)' } as CellObject, "A", "192.0.2.1", null],
          ["a.se", { t: "d", v: new Date(Date.UTC(2027, 0, 2)) } as CellObject, "A", "192.0.2.2", null],
          ["a.se", "x", "A", { t: "e", v: 42 } as CellObject, null],
          ["a.se", "@", "MX", "mx.a.se", { t: "n", v: 10, f: "5*2" } as CellObject],
        ],
        "Owner sheet": [
          ["domain", "name", "telephone", "country"],
          ["a.se", "A", 46701234567, "SE"],
        ],
        flags: [
          ["domain", "lock", "expires_not_before"],
          ["a.se", "maybe", null],
          ["b.se", null, 46000],
        ],
        weird: [
          ["what", "ever"],
          ["x", "y"],
        ],
      }),
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^p\.xlsx:dns!B2: host holds a formula \(=CONCAT\("www\.";A2\)\): host is text, so type it or paste it as values/,
      ),
      "p.xlsx:dns!B3: host is a date; host is text: format the column as Text and type it again",
      "p.xlsx:dns!D4: address holds the spreadsheet error #N/A",
      expect.stringMatching(
        /^p\.xlsx:'Owner sheet'!C2: telephone is the number 46701234567: .*\+ \(and any leading 0\) is gone; format the column as Text/,
      ),
      'p.xlsx:flags!B2: lock "maybe" is not a boolean: use true/false, yes/no, ja/nej, 1/0 or x',
      "p.xlsx:flags!C3: expires_not_before is the number 46000, not a date: type it as YYYY-MM-DD (or format the cell as a date)",
      expect.stringMatching(
        /^p\.xlsx:weird!A1: cannot tell what this sheet holds from its header row: it has no "domain"/,
      ),
    ]);
  });

  it("refuses a formula cell with no saved value (as openpyxl writes them), naming its cell", () => {
    const book = workbook({
      dns: [
        ["domain", "host", "type", "address", "priority"],
        ["a.se", "www", "A", "192.0.2.1", null],
        ["a.se", "placeholder", "A", "192.0.2.9", null],
        ["a.se", "mail", "MX", "mx.a.se", 10],
      ],
    });
    // Rewrite cells B3 and E4 as a generator without a calculation engine writes a formula.
    for (const [cell, xml] of [
      ["B3", '<c r="B3"><f>CONCAT("w";"ww")</f><v/></c>'],
      ["E4", '<c r="E4"><f>5*2</f></c>'],
    ] as const) {
      const bytes = patchSheet(book, (sheet) => sheet.replace(new RegExp(`<c r="${cell}"[^>]*>.*?</c>`), xml));
      const { m, errors } = readBook(bytes, "f.xlsx");
      expect(errors, cell).toEqual([
        expect.stringMatching(new RegExp(`^f\\.xlsx:dns!${cell}: a formula with no saved value \\(=`)),
      ]);
      expect(m.domains.get("a.se")?.dns ?? [], cell).not.toContainEqual(expect.objectContaining({ host: "@" }));
    }
  });

  it("takes off the ' a spreadsheet keeps from a CSV it opened ('@, '+46…), as the CSV reader does", () => {
    const { m, errors } = readBook(
      workbook({
        dns: [
          ["domain", "host", "type", "address", "priority"],
          ["a.se", "'@", "A", "192.0.2.1", null],
          ["a.se", "t", "TXT", "''=5+5", null],
        ],
        registrant: [
          ["domain", "name", "telephone", "country"],
          ["a.se", "'=Åsa", "'+46.701234567", "SE"],
        ],
      }),
    );
    expect(errors).toEqual([]);
    const d = m.domains.get("a.se")!;
    expect(d.dns).toEqual([
      { host: "@", type: "A", address: "192.0.2.1", priority: null },
      { host: "t", type: "TXT", address: "'=5+5", priority: null },
    ]);
    expect(d.registrant).toMatchObject({ name: "=Åsa", telephone: "+46.701234567" });
  });

  it("writes a value that starts with ' before = + - @ so that it reads back as written", async () => {
    const m = emptyManifest();
    const p = new Problems();
    readYamlManifest(
      'version: 1\ndomains:\n  a.se:\n    dns:\n      - {host: t, type: TXT, address: "\'=5+5"}\n      - {host: u, type: TXT, address: "=1+1"}\n',
      "m.yaml",
      p,
      m,
    );
    expect(p.errors).toEqual([]);
    const back = readBook(await writeXlsxManifest(m, { tool: "t", time: new Date(0) }));
    expect(back.errors).toEqual([]);
    expect(back.m.domains.get("a.se")!.dns!.map((r) => r.address)).toEqual(["'=5+5", "=1+1"]);
  });

  it("idprotection (write-only) reads from a workbook and round-trips through YAML, XLSX and CSV; without it no column", async () => {
    const { m, errors } = readBook(
      workbook({
        Domäner: [
          ["domain", "idprotection"],
          ["a.se", true],
          ["b.se", { t: "s", v: "nej" } as CellObject],
        ],
      }),
    );
    expect(errors).toEqual([]);
    expect([m.domains.get("a.se")!.idprotection, m.domains.get("b.se")!.idprotection]).toEqual([true, false]);
    const y = yamlManifest("version: 1\ndomains:\n  a.se: {idprotection: true, lock: false}\n");
    expect(manifestObject(y)).toMatchObject({ domains: { "a.se": { idprotection: true, lock: false } } });
    const back = readBook(await writeXlsxManifest(y, { tool: "t", time: new Date(0) }));
    expect(back.errors).toEqual([]);
    expect(back.m.domains.get("a.se")).toMatchObject({ idprotection: true, lock: false });
    expect(writeCsvManifest(y).get("domains.csv")).toMatch(/^domain,.*,idprotection\na\.se,.*,true\n$/);
    const none = yamlManifest("version: 1\ndomains:\n  a.se: {lock: false}\n");
    expect(writeCsvManifest(none).get("domains.csv")).not.toContain("idprotection");
  });

  it("refuses a CSV or an old .xls named .xlsx, rather than guessing", () => {
    expect(readBook(Buffer.from("domain,ns1\na.se,ns1.a.se\n")).errors).toEqual([
      "p.xlsx: not an XLSX workbook (an XLSX file is a ZIP archive); a CSV file should be named .csv",
    ]);
    expect(readBook(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])).errors[0]).toMatch(
      /old Excel \.xls/,
    );
  });

  it("refuses an unknown column by its cell, with a suggestion", () => {
    const { errors } = readBook(
      workbook({
        S: [
          ["domain", "hots", "type", "address"],
          ["a.se", "@", "A", "192.0.2.1"],
        ],
      }),
    );
    expect(errors[0]).toMatch(/^p\.xlsx:S!B1: unknown column "hots" in a dns sheet \(did you mean "host"\?\)/);
  });
});

const SAMPLE = `
version: 1
owners:
  acme: { firstname: Åsa, lastname: Öberg, address1: Gatan 1, city: Malmö, postcode: "01234", country: SE, phone: "+46.701234567", email: a@acme.se }
domains:
  räksmörgås.se:
    nameservers: [ns1.acme.se, ns2.acme.se]
    lock: true
    autorenew: false
    dns:
      - { host: "@", type: MX, address: mx.acme.se, priority: 10 }
      - { host: "@", type: TXT, address: "=SUM(A1)" }
      - { host: "_x", type: TXT, address: "+1 '=SUM(A1)' @home" }
      - { host: "007", type: A, address: 192.0.2.7 }
    forwarding: [{ prefix: info, to: a@acme.se }]
    registrant: { name: "=Åsa", zip_code: "01234", country: SE, telephone: "+46.701234567" }
  ny.se:
    register: { years: 2, owner: acme, idprotection: true, domainfields: { orgno: "5566778899" } }
`;

function yamlManifest(text: string): Manifest {
  const m = emptyManifest();
  const p = new Problems();
  readYamlManifest(text, "s.yaml", p, m);
  checkAcrossFiles(m, p);
  expect(p.errors).toEqual([]);
  return m;
}

/** A manifest without its source places, for comparing what two readers made of the same content. */
const content = (m: Manifest): unknown => JSON.parse(JSON.stringify(manifestObject(m)));

describe("writing a workbook", () => {
  it("reads back to the same manifest: leading zeros, + and = and @, Unicode, flags and numbers", async () => {
    const m = yamlManifest(SAMPLE);
    const bytes = await writeXlsxManifest(m, { tool: "test", time: new Date(0) });
    const back = readBook(bytes, "w.xlsx");
    expect(back.errors).toEqual([]);
    expect(back.warnings).toEqual([]);
    checkAcrossFiles(back.m, back.p);
    expect(content(back.m)).toEqual(content(m));
  });

  it("writes text cells as Text, a bold frozen header, an autofilter, drop-downs, and an about sheet", async () => {
    const bytes = await writeXlsxManifest(yamlManifest(SAMPLE), {
      tool: "regdom-export 9",
      time: new Date("2026-11-29T10:00:00Z"),
      endpoint: "https://api.example/",
    });
    const zip = CFB.read(Buffer.from(bytes), { type: "buffer" });
    const file = (name: string): string => {
      const e = CFB.find(zip, `/${name}`);
      if (!e?.content) throw new Error(`${name} missing`);
      return Buffer.from(e.content as Uint8Array).toString("utf8");
    };
    const wb = read(bytes, { dense: true });
    expect(wb.SheetNames).toEqual(["domains", "dns", "forwarding", "registrant", "owners", "lifecycle", "about"]);
    const dnsIndex = wb.SheetNames.indexOf("dns") + 1;
    const dns = file(`xl/worksheets/sheet${dnsIndex}.xml`);
    expect(dns).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(dns).toContain('<autoFilter ref="A1:E5"/>');
    expect(dns).toMatch(
      /<dataValidation type="list"[^>]*sqref="C2:C1048576"><formula1>"A,AAAA,MX,MXE,CNAME,TXT,URL,FRAME"<\/formula1>/,
    );
    const domains = file("xl/worksheets/sheet1.xml");
    expect(domains).toMatch(/sqref="G2:G1048576"><formula1>"TRUE,FALSE"<\/formula1>/);
    expect(file("xl/workbook.xml")).toContain(
      `<definedName name="_xlnm._FilterDatabase" localSheetId="${dnsIndex - 1}" hidden="1">'dns'!$A$1:$E$5</definedName>`,
    );
    // The header is bold; text cells carry the Text format (@), so edits there stay text.
    const styles = file("xl/styles.xml");
    expect(styles).toMatch(/<font>.*<b\/>.*<\/font>/);
    expect(styles).toMatch(/formatCode="@"/);
    const hosts = wb.Sheets.dns!["!data"]!.map((r) => r[1]);
    expect(hosts).toContainEqual(expect.objectContaining({ t: "s", v: "007" }));
    const about = utils.sheet_to_json<string[]>(wb.Sheets.about!, { header: 1 });
    expect(about).toEqual(
      expect.arrayContaining([
        ["about", "value"],
        ["written by", "regdom-export 9"],
        ["time", "2026-11-29T10:00:00.000Z"],
        ["endpoint", "https://api.example/"],
        ["domains", 2],
        ["dns rows", 4],
      ]),
    );
  });

  it("keeps cell texts named like Object.prototype members (write-excel-file is patched for these)", async () => {
    const m = yamlManifest(`version: 1\ndomains:\n  a.se:\n    dns: []\n`);
    const names = ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty"];
    m.domains.get("a.se")!.dns = names.map((address) => ({ host: "@", type: "TXT", address, priority: null }));
    const back = readBook(await writeXlsxManifest(m, { tool: "t", time: new Date(0) }));
    expect(back.errors).toEqual([]);
    expect(
      back.m.domains
        .get("a.se")!
        .dns!.map((r) => r.address)
        .sort(),
    ).toEqual([...names].sort());
  });

  it("round-trips any manifest the YAML reader accepts (property)", async () => {
    const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && !/[\0-\x1f]/.test(s));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.constantFrom("@", "www", "007", "_x"), text), {
          maxLength: 6,
          selector: ([h, a]) => `${h} ${a}`,
        }),
        async (txts) => {
          const records = txts.map(
            ([host, address]) => `      - { host: "${host}", type: TXT, address: ${JSON.stringify(address)} }`,
          );
          const m = emptyManifest();
          const p = new Problems();
          readYamlManifest(
            `version: 1\ndomains:\n  a.se:\n    dns:${records.length ? `\n${records.join("\n")}` : " []"}\n`,
            "s.yaml",
            p,
            m,
          );
          fc.pre(p.ok);
          const back = readBook(await writeXlsxManifest(m, { tool: "t", time: new Date(0) }));
          expect(back.errors).toEqual([]);
          const sorted = (m: Manifest) =>
            [...(m.domains.get("a.se")!.dns ?? [])].sort((a, b) => (a.host + a.address < b.host + b.address ? -1 : 1));
          expect(sorted(back.m)).toEqual(sorted(m));
        },
      ),
      { numRuns: 40 },
    );
  });
});
