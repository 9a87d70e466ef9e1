/** Caps on what one file and one manifest may hold: each refusal names the file and line, and comes early. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { MAX_MANIFEST_RECORDS, MAX_ZONE_RECORDS } from "./limits.js";
import { loadManifests } from "./load.js";
import { emptyManifest } from "./model.js";
import { Problems } from "./problems.js";
import { readZoneManifest } from "./zoneRead.js";

async function problemsOf(files: Record<string, string | Buffer>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "regdom-limits-"));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const e = await loadManifests([dir]).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UserError);
  return (e as UserError).problems.map(
    (x) => `${x.file.slice(dir.length + 1)}:${x.line ?? ""}${x.column ? `:${x.column}` : ""}: ${x.message}`,
  );
}

describe("zone files", () => {
  it(`refuses more than ${MAX_ZONE_RECORDS} records in one file at the first one over`, () => {
    const lines = ["$ORIGIN big.se.", "$TTL 3600"];
    for (let i = 0; i <= MAX_ZONE_RECORDS; i++) lines.push(`h${i} IN A 192.0.2.${i % 250}`);
    const p = new Problems();
    const m = emptyManifest();
    readZoneManifest(`${lines.join("\n")}\n`, "big.se.zone", p, m);
    expect(p.errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([
      `big.se.zone:${MAX_ZONE_RECORDS + 3}: more than ${MAX_ZONE_RECORDS} records in one zone file; split the zone or manage it as CSV/YAML`,
    ]);
    expect(m.domains.size).toBe(0);
  });
});

describe("a manifest", () => {
  it(`refuses more than ${MAX_MANIFEST_RECORDS} domains and records in all, naming the file that went over`, async () => {
    // Counting is what is tested: a few files whose records add up to one over the cap.
    const per = 250_000;
    const files: Record<string, string> = {};
    for (let f = 0; f < 4; f++) {
      const rows = ["domain,host,type,address,priority"];
      const n = f === 3 ? per : per - 1;
      for (let i = 0; i < n; i++) rows.push(`d${f}.se,h${i},A,192.0.2.1,`);
      files[`${f}.csv`] = `${rows.join("\n")}\n`;
    }
    expect(await problemsOf(files)).toEqual([
      `3.csv:: the manifest holds more than ${MAX_MANIFEST_RECORDS} domains and DNS records with this file; at most ${MAX_MANIFEST_RECORDS}`,
    ]);
    // A million real rows: about 10 s alone, several times that on a loaded machine.
  }, 180_000);
});

describe("CSV files", () => {
  it(`stop at ${MAX_MANIFEST_RECORDS} rows, naming the line past them`, async () => {
    expect(await problemsOf({ "a.csv": `domain,lock\n${",\n".repeat(MAX_MANIFEST_RECORDS)}` })).toEqual([
      `a.csv:${MAX_MANIFEST_RECORDS + 1}: more than ${MAX_MANIFEST_RECORDS} rows in one CSV file; at most that many`,
    ]);
  });
});

describe("text that is not UTF-8, by line and column", () => {
  it("a CSV with a UTF-8 row and a Windows-1252 row is an error at the first line not UTF-8; one all Windows-1252 reads", async () => {
    const mixed = Buffer.concat([
      Buffer.from("domain,name,city\na.se,Jörgen,Göteborg\n", "utf8"),
      Buffer.from("b.se,Åsa,G\xf6teborg\n", "latin1"),
    ]);
    expect(await problemsOf({ "r.csv": mixed })).toEqual([
      'r.csv:3:6: mixes encodings: other lines are UTF-8 but this one is not (likely Windows-1252); save the whole file as "CSV UTF-8"',
    ]);
    const dir = await mkdtemp(join(tmpdir(), "regdom-limits-"));
    await writeFile(join(dir, "r.csv"), Buffer.from("domain,name,city\na.se,Jörgen,Göteborg\n", "latin1"));
    const { manifest, warnings } = await loadManifests([dir]);
    expect(manifest.domains.get("a.se")?.registrant).toEqual({ name: "Jörgen", city: "Göteborg" });
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^not UTF-8: read as Windows-1252/)]);
  });

  it("zone files and YAML say where the byte that is not UTF-8 is, and where a NUL is", async () => {
    expect(
      await problemsOf({
        "a.se.zone": Buffer.concat([Buffer.from('@ IN A 192.0.2.1\nwww IN TXT "å'), Buffer.from('\xe9"\n', "latin1")]),
        "b.se.zone": '@ IN A 192.0.2.1\n\nwww IN TXT "x\u0000"\n',
        "c.yaml": Buffer.concat([
          Buffer.from("version: 1\ndomains:\n  c.se: {lock: tru"),
          Buffer.from("\xe9}\n", "latin1"),
        ]),
        "d.csv": "domain,lock\nd.se,ja\nd2.se,\u0000\n",
      }),
    ).toEqual([
      "a.se.zone:2:14: zone files must be UTF-8: the byte 0xE9 here is not",
      "b.se.zone:3:14: contains NUL bytes: not a text file",
      "c.yaml:3:19: YAML manifests must be UTF-8: the byte 0xE9 here is not",
      "d.csv:3:7: contains NUL bytes: this is not a text CSV file",
    ]);
  });
});
