/** Glue in every format: read through the one validator, refused at its place, written back losslessly. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsvManifest } from "./csvRead.js";
import { writeCsvManifest } from "./csvWrite.js";
import { compareAddresses } from "./glue.js";
import { loadManifests } from "./load.js";
import { emptyManifest, type Manifest } from "./model.js";
import { formatProblem } from "./place.js";
import { Problems } from "./problems.js";
import { readXlsxManifest } from "./xlsxRead.js";
import { writeXlsxManifest } from "./xlsxWrite.js";
import { readYamlManifest } from "./yamlRead.js";
import { manifestObject, writeYamlManifest } from "./yamlWrite.js";

function yaml(text: string) {
  const m = emptyManifest();
  const p = new Problems();
  readYamlManifest(text, "m.yaml", p, m);
  return { m, errors: p.errors.map(formatProblem) };
}

async function csv(files: Record<string, string>) {
  const m = emptyManifest();
  const p = new Problems();
  for (const [name, text] of Object.entries(files)) await readCsvManifest(Buffer.from(text), name, p, m);
  return { m, errors: p.errors.map(formatProblem) };
}

function book(bytes: Uint8Array) {
  const m = emptyManifest();
  const p = new Problems();
  readXlsxManifest(bytes, "p.xlsx", p, m);
  return { m, errors: p.errors.map(formatProblem) };
}

const GOOD = `version: 1
domains:
  acme.se:
    nameservers: [ns1.acme.se, ns2.acme.se]
    glue:
      NS1.Acme.se.: [2001:DB8:0:0:0:0:0:53, 192.0.2.53]
      ns2.acme.se: [192.0.2.54]
  räksmörgås.se:
    glue:
      ns.räksmörgås.se: [192.0.2.9]
  empty.se:
    glue: {}
`;

describe("glue in YAML", () => {
  it("reads hosts in ACE and addresses canonical, IPv4 first", () => {
    const { m, errors } = yaml(GOOD);
    expect(errors).toEqual([]);
    expect(m.domains.get("acme.se")!.glue).toEqual({
      "ns1.acme.se": ["192.0.2.53", "2001:db8::53"],
      "ns2.acme.se": ["192.0.2.54"],
    });
    expect(m.domains.get("xn--rksmrgs-5wao1o.se")!.glue).toEqual({ "ns.xn--rksmrgs-5wao1o.se": ["192.0.2.9"] });
    expect(m.domains.get("empty.se")!.glue).toEqual({});
  });

  it.each([
    [
      "a host of another domain, naming both",
      "ns1.other.se: [192.0.2.1]",
      /^m\.yaml:5:7: glue host ns1\.other\.se is not under acme\.se/,
    ],
    [
      "the domain itself (a registry keeps child hosts strictly under it)",
      "ACME.se.: [192.0.2.1]",
      /^m\.yaml:5:7: glue host acme\.se is the domain itself: a child nameserver is a host strictly under/,
    ],
    [
      "a host that is no hostname",
      "'ns 1.acme.se': [192.0.2.1]",
      /^m\.yaml:5:7: glue host "ns 1\.acme\.se" is not a valid hostname/,
    ],
    [
      "an address that is none",
      "ns1.acme.se: [192.0.2.300]",
      /^m\.yaml:5:21: glue address "192\.0\.2\.300" of ns1\.acme\.se is not an IPv4 or IPv6/,
    ],
    ["no address", "ns1.acme.se: []", /^m\.yaml:5:7: glue host ns1\.acme\.se needs at least one address/],
    [
      "the same host twice (in ACE)",
      "ns1.acme.se: [192.0.2.1]\n      NS1.ACME.SE: [192.0.2.2]",
      /^m\.yaml:6:7: glue host ns1\.acme\.se of acme\.se is given twice \(first at m\.yaml:5:7\)/,
    ],
    [
      "an address twice",
      "ns1.acme.se: [192.0.2.1, 192.0.2.1]",
      /^m\.yaml:5:32: glue address 192\.0\.2\.1 of ns1\.acme\.se is given twice/,
    ],
  ])("refuses %s at its place", (_what, line, message) => {
    const { errors } = yaml(`version: 1\ndomains:\n  acme.se:\n    glue:\n      ${line}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it("is refused beside state: deleted", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-glue-"));
    await writeFile(join(dir, "m.yaml"), "version: 1\ndomains:\n  acme.se:\n    state: deleted\n    glue: {}\n");
    await expect(loadManifests([join(dir, "m.yaml")])).rejects.toThrow(/marked deleted but also manages glue/);
  });
});

describe("glue as a CSV kind (domain,nameserver,address), one row per address", () => {
  it("gathers a host's rows, and reads a domain-only row as managed and empty", async () => {
    const { m, errors } = await csv({
      "glue.csv":
        "domain,nameserver,address\nacme.se,ns1.acme.se,2001:db8::53\nacme.se,ns1.acme.se,192.0.2.53\nacme.se,ns2.acme.se,192.0.2.54\nempty.se,,\n",
    });
    expect(errors).toEqual([]);
    expect(m.domains.get("acme.se")!.glue).toEqual({
      "ns1.acme.se": ["192.0.2.53", "2001:db8::53"],
      "ns2.acme.se": ["192.0.2.54"],
    });
    expect(m.domains.get("empty.se")!.glue).toEqual({});
  });

  it("takes a host spelled two ways (in ACE one host) as given twice, as YAML does", async () => {
    const { errors } = await csv({
      "glue.csv": "domain,nameserver,address\nacme.se,ns1.acme.se,192.0.2.1\nacme.se,NS1.acme.se,192.0.2.2\n",
    });
    expect(errors).toEqual([
      expect.stringMatching(
        /^glue\.csv:3:2: glue host ns1\.acme\.se of acme\.se is given twice \(first at glue\.csv:2:2\)/,
      ),
    ]);
  });

  it("says the same as YAML, at file:line:col", async () => {
    const { errors } = await csv({
      "glue.csv": "domain,nameserver,address\nacme.se,ns1.other.se,192.0.2.1\nacme.se,ns1.acme.se,nope\n",
    });
    expect(errors).toEqual([
      expect.stringMatching(/^glue\.csv:2:2: glue host ns1\.other\.se is not under acme\.se/),
      expect.stringMatching(/^glue\.csv:3:3: glue address "nope" of ns1\.acme\.se is not an IPv4 or IPv6/),
    ]);
  });

  it("refuses glue given by two files", async () => {
    const { errors } = await csv({
      "a.csv": "domain,nameserver,address\nacme.se,ns1.acme.se,192.0.2.1\n",
      "b.csv": "domain,nameserver,address\nacme.se,ns2.acme.se,192.0.2.2\n",
    });
    expect(errors).toEqual([expect.stringMatching(/^b\.csv:2:1: the glue of acme\.se is already given at a\.csv:2/)]);
  });
});

describe("writing glue back", () => {
  const original = yaml(GOOD).m;
  const same = (a: Manifest, b: Manifest) => expect(manifestObject(b)).toEqual(manifestObject(a));

  it("YAML: one line per host, read back the same", () => {
    const text = writeYamlManifest(original);
    expect(text).toContain("    glue:\n      ns1.acme.se: [192.0.2.53, 2001:db8::53]\n");
    same(original, yaml(text).m);
  });

  it("CSV: a glue.csv, read back the same", async () => {
    const files = writeCsvManifest(original);
    expect(files.get("glue.csv")).toMatch(/^domain,nameserver,address\r?\nacme\.se,ns1\.acme\.se,192\.0\.2\.53\r?\n/);
    same(original, (await csv(Object.fromEntries(files))).m);
  });

  it("XLSX: a glue sheet, read back the same; its problems at Sheet!B7 places", async () => {
    const bytes = await writeXlsxManifest(original, { tool: "t", time: new Date(0) });
    const back = book(bytes);
    expect(back.errors).toEqual([]);
    same(original, back.m);
    const bad = yaml("version: 1\ndomains:\n  acme.se:\n    glue:\n      ns1.acme.se: [192.0.2.1]\n").m;
    bad.domains.get("acme.se")!.glue = { "ns1.other.se": ["192.0.2.1"] };
    expect(book(await writeXlsxManifest(bad, { tool: "t", time: new Date(0) })).errors).toEqual([
      expect.stringMatching(/^p\.xlsx:glue!B2: glue host ns1\.other\.se is not under acme\.se/),
    ]);
  });
});

it("orders addresses IPv4 first, each family numerically", () => {
  expect(["2001:db8::10", "10.0.0.1", "2001:db8::9", "9.0.0.1"].sort(compareAddresses)).toEqual([
    "9.0.0.1",
    "10.0.0.1",
    "2001:db8::9",
    "2001:db8::10",
  ]);
});
