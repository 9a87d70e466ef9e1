import { readFileSync } from "node:fs";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { neutralize, writeCsvManifest } from "./csvWrite.js";
import { emptyManifest, type Manifest } from "./model.js";
import { sortedDomains } from "./order.js";
import { Problems } from "./problems.js";
import { manifestTables } from "./tableWrite.js";
import { readYamlManifest } from "./yamlRead.js";
import { jsonManifestChunks, manifestObject, writeJsonManifest, writeYamlManifest } from "./yamlWrite.js";

describe("writeYamlManifest", () => {
  it("keeps a TXT record holding U+2028/U+2029 (line breaks to a JS regex, not to YAML) as it was", () => {
    const m = emptyManifest();
    const address = "a\u2029b\u2028c";
    m.domains.set("a.se", {
      name: "a.se",
      display: "a.se",
      source: { file: "gen" },
      dns: [{ host: "@", type: "TXT", address, priority: null }],
    });
    const back = emptyManifest();
    const p = new Problems();
    readYamlManifest(writeYamlManifest(m), "m.yaml", p, back);
    expect(p.errors).toEqual([]);
    expect(back.domains.get("a.se")!.dns![0]!.address).toBe(address);
  });
});

describe("written in pieces (an export writes a domain at a time)", () => {
  const fixture = new URL("../../../test-fixtures/manifests/contract-example.yaml", import.meta.url);
  const full = (): Manifest => {
    const m = emptyManifest();
    const p = new Problems();
    readYamlManifest(readFileSync(fixture, "utf8"), "m.yaml", p, m);
    expect(p.errors).toEqual([]);
    expect(m.domains.size).toBeGreaterThan(1);
    return m;
  };
  for (const [label, m] of [
    ["the contract's example (owners, dns_ignore, purchases)", full],
    ["no domains", emptyManifest],
  ] as const)
    it(`JSON: the text of the whole object, for ${label}`, () => {
      const manifest = m();
      expect([...jsonManifestChunks(manifest, sortedDomains(manifest))].join("")).toBe(
        `${JSON.stringify(manifestObject(manifest), null, 2)}\n`,
      );
      expect(writeJsonManifest(manifest)).toBe(`${JSON.stringify(manifestObject(manifest), null, 2)}\n`);
    });
  it("CSV: a line at a time is the whole table's text", () => {
    const m = full();
    for (const excel of [false, true])
      for (const t of manifestTables(m))
        expect(writeCsvManifest(m, { excel }).get(`${t.kind}.csv`)).toBe(
          stringify(
            [
              t.header,
              ...t.rows.map((r) =>
                r.map((c) => (c === undefined ? "" : typeof c === "boolean" ? String(c) : neutralize(String(c)))),
              ),
            ],
            {
              delimiter: excel ? ";" : ",",
              record_delimiter: excel ? "windows" : "unix",
              bom: excel,
            },
          ),
        );
  });
});
