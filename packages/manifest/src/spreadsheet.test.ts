/**
 * Spreadsheet text that is not what it seems: Windows-1252 as Excel and LibreOffice save it, and
 * the marks a spreadsheet leaves on values it took for numbers.
 */
import { describe, expect, it } from "vitest";
import { readCsvManifest } from "./csvRead.js";
import { emptyManifest } from "./model.js";
import { Problems } from "./problems.js";
import { decodeWindows1252 } from "./windows1252.js";
import { readYamlManifest } from "./yamlRead.js";

/** Encodes text as Windows-1252 the way a spreadsheet saves it (every character here has a byte). */
function cp1252(text: string): Buffer {
  const table: Record<string, number> = {
    "€": 0x80,
    "‚": 0x82,
    "„": 0x84,
    "…": 0x85,
    "‘": 0x91,
    "’": 0x92,
    "“": 0x93,
    "”": 0x94,
    "–": 0x96,
    "—": 0x97,
    "™": 0x99,
  };
  return Buffer.from([...text].map((c) => table[c] ?? c.charCodeAt(0)));
}

async function csv(text: string | Buffer, file = "x.csv") {
  const m = emptyManifest();
  const p = new Problems();
  await readCsvManifest(typeof text === "string" ? Buffer.from(text) : text, file, p, m);
  return { m, p };
}

describe("Windows-1252", () => {
  it("decodes 0x80–0x9F as the code page defines them, not as control characters", () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x96, 0x93, 0x94, 0x91, 0x92, 0x85, 0xe5, 0xe4, 0xf6]))).toBe(
      "€–“”‘’…åäö",
    );
  });
  it("a CSV saved the Swedish Excel way keeps € – “ ” ‘ ’ … in TXT records and names", async () => {
    const text = 'domain;host;type;address;priority\r\nex.se;@;TXT;"pris 5 € – “bra” ‘ja’ …";\r\n';
    const { m, p } = await csv(cp1252(text));
    expect(p.errors).toEqual([]);
    expect(p.warnings[0]?.message).toMatch(/not UTF-8: read as Windows-1252/);
    expect(m.domains.get("ex.se")!.dns![0]!.address).toBe("pris 5 € – “bra” ‘ja’ …");
  });
});

describe("values a spreadsheet took for numbers", () => {
  it("warns of a postcode shorter than its country's", async () => {
    const { p } = await csv("domain,name,country,zip_code\nex.se,Anna,DE,1067\n");
    expect(p.warnings.map((w) => w.message).join("\n")).toMatch(/postcode "1067" has 4 digits; DE postcodes have 5/);
  });
  it("warns of a TXT in exponent form", async () => {
    const { p } = await csv("domain,host,type,address,priority\nex.se,@,TXT,1.23456789012346E+19,\n");
    expect(p.errors).toEqual([]);
    expect(p.warnings[0]?.message).toMatch(/exponent form/);
  });
  it("explains a phone number that lost its +", async () => {
    const p = new Problems();
    readYamlManifest(
      "version: 1\ndomains:\n  ex.se:\n    registrant: {telephone: 46.701234567}\n",
      "m.yaml",
      p,
      emptyManifest(),
    );
    expect(p.errors[0]?.message).toMatch(/spreadsheet turned it into a number/);
  });
});
