import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DnsRecord } from "@regdom/core";
import { UserError } from "@regdom/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCsvManifest } from "./csvRead.js";
import { writeCsvManifest } from "./csvWrite.js";
import { loadManifests } from "./load.js";
import { type DesiredDomain, emptyManifest, type Manifest } from "./model.js";
import { normalizeRecord } from "./normalize.js";
import { sortedDomains } from "./order.js";
import { Problems } from "./problems.js";
import { readYamlManifest } from "./yamlRead.js";
import { writeJsonManifest, writeYamlManifest } from "./yamlWrite.js";

const fixtures = new URL("../../../test-fixtures/", import.meta.url).pathname;

function readYaml(text: string): { m: Manifest; p: Problems } {
  const m = emptyManifest();
  const p = new Problems();
  readYamlManifest(text, "m.yaml", p, m);
  return { m, p };
}

async function readCsvFiles(files: Map<string, string | Uint8Array>): Promise<{ m: Manifest; p: Problems }> {
  const m = emptyManifest();
  const p = new Problems();
  for (const [name, text] of files)
    await readCsvManifest(typeof text === "string" ? Buffer.from(text) : text, name, p, m);
  return { m, p };
}

describe("YAML manifests", () => {
  it("reads the contract's example", async () => {
    const { manifest } = await loadManifests([join(fixtures, "manifests/contract-example.yaml")]);
    const d = manifest.domains.get("xn--rksmrgs-5wao1o.se")!;
    expect(d.display).toBe("räksmörgås.se");
    expect(d.nameservers).toEqual(["ns1.host.se", "ns2.host.se"]);
    expect(d.dns).toContainEqual({ host: "www", type: "CNAME", address: "xn--rksmrgs-5wao1o.se", priority: null });
    expect(d.dns).toContainEqual({ host: "@", type: "MX", address: "mx1.host.se", priority: 10 });
    expect(manifest.domains.get("gammal.se")!.state).toBe("deleted");
    expect(manifest.domains.get("flyttas-hit.nu")!.transfer).toEqual({
      years: 1,
      owner: "acme",
      authcode: "gd23h231s21",
    });
  });
  it("normalizes so that equal things compare equal", () => {
    const { m, p } = readYaml(`version: 1
domains:
  EXAMPLE.se.:
    nameservers: [NS1.Host.SE., ns2.host.se]
    dns:
      - {host: "", type: a, address: 192.0.2.1}
      - {host: www.example.se., type: CNAME, address: Räksmörgås.SE.}
      - {host: "@", type: mx, address: MX.A.SE., priority: "10"}
      - {host: "@", type: TXT, address: '"v=spf1 -all"'}
      - {host: v6, type: AAAA, address: "2001:DB8:0:0::1"}
`);
    expect(p.errors).toEqual([]);
    const d = m.domains.get("example.se")!;
    expect(d.nameservers).toEqual(["ns1.host.se", "ns2.host.se"]);
    expect(d.dns).toEqual([
      { host: "@", type: "A", address: "192.0.2.1", priority: null },
      { host: "www", type: "CNAME", address: "xn--rksmrgs-5wao1o.se", priority: null },
      { host: "@", type: "MX", address: "mx.a.se", priority: 10 },
      { host: "@", type: "TXT", address: "v=spf1 -all", priority: null },
      { host: "v6", type: "AAAA", address: "2001:db8::1", priority: null },
    ]);
  });
  it("collects every error with line and column, and refuses as UserError", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-m-"));
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      "version: 1\ndomains:\n  a.se:\n    lock: kanske\n  b.se:\n    dns:\n      - {host: '@', type: A, address: 1.2.3}\n",
    );
    const e = (await loadManifests([file]).catch((x: unknown) => x)) as UserError;
    expect(e).toBeInstanceOf(UserError);
    expect(e.problems.map((x) => `${x.line}:${x.column}`)).toEqual(["4:11", "7:39"]);
    expect(e.message).toContain(`${file}:4:11: lock "kanske" is not a boolean`);
    expect(e.message).toContain("2 errors; nothing was sent");
  });
  it("refuses a desired record that a dns_ignore rule covers, naming both lines (it would never be sent)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-m-"));
    const yaml = join(dir, "m.yaml");
    await writeFile(
      yaml,
      [
        "version: 1",
        "dns_ignore:",
        '  - {host: "_acme-challenge*", type: TXT}',
        "domains:",
        "  a.se:",
        "    dns:",
        "      - {host: www, type: A, address: 192.0.2.1}",
        "      - {host: _acme-challenge, type: TXT, address: mine}",
        "",
      ].join("\n"),
    );
    const e = (await loadManifests([yaml]).catch((x: unknown) => x)) as UserError;
    expect(e).toBeInstanceOf(UserError);
    expect(e.problems).toEqual([
      expect.objectContaining({
        file: yaml,
        line: 8,
        message: `_acme-challenge TXT "mine" is covered by the dns_ignore rule at ${yaml}:3 (host "_acme-challenge*", type TXT), so it would never be sent: remove the record, or narrow the rule`,
      }),
    ]);
    // The same across files: a rule in a CSV for one domain, the record in a zone file.
    const zone = join(dir, "b.se.zone");
    await writeFile(zone, "$ORIGIN b.se.\n@ IN A 192.0.2.1\nverify IN TXT token\n");
    const csv = join(dir, "ignore.csv");
    await writeFile(csv, "domain,ignore_host,ignore_type\nb.se,verify*,\n");
    const e2 = (await loadManifests([zone, csv]).catch((x: unknown) => x)) as UserError;
    expect(e2.problems).toEqual([
      expect.objectContaining({
        file: zone,
        line: 3,
        message: expect.stringMatching(
          new RegExp(`^verify TXT "token" is covered by the dns_ignore rule at ${csv}:2 \\(host "verify\\*"\\)`),
        ),
      }),
    ]);
  });
  it("accepts what a registrar holds, with a warning naming the rule it breaks (a backup must restore)", () => {
    const { m, p } = readYaml(
      [
        "version: 1",
        "domains:",
        "  a.se:",
        "    dns:",
        "      - {host: w, type: A, address: 192.0.2.7}",
        "      - {host: w, type: CNAME, address: a.se}",
        "      - {host: e, type: TXT, address: ''}",
        "      - {host: -cmd, type: A, address: 192.0.2.8}",
        '      - {host: t, type: TXT, address: "\'=5+5"}',
        "    forwarding:",
        "      - {prefix: '=1+1', to: a@b.se}",
        "",
      ].join("\n"),
    );
    expect(p.errors).toEqual([]);
    const d = m.domains.get("a.se")!;
    expect(d.dns).toHaveLength(5);
    expect(d.forwarding).toEqual([{ prefix: "=1+1", to: "a@b.se" }]);
    expect(p.warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
      expect.stringMatching(/^7: TXT record text is empty/),
      expect.stringMatching(/^8: host "-cmd" .*a label starts and ends with a letter, digit or _/),
      expect.stringMatching(
        /^6: CNAME at "w" stands beside 1 other record\(s\) at the same host; a CNAME must be alone/,
      ),
      expect.stringMatching(/^11: forwarding prefix "=1\+1" has characters other than a-z, 0-9, \. _ \+ -/),
    ]);
    // Still refused: what no registrar holds.
    const bad = readYaml(
      "version: 1\ndomains:\n  a.se:\n    dns:\n      - {host: 'a b', type: A, address: 192.0.2.1}\n    forwarding:\n      - {prefix: 'a@b', to: a@b.se}\n",
    );
    expect(bad.p.errors.map((e) => e.line)).toEqual([5, 7]);
  });
  it("warns under two nameservers", () => {
    const { p } = readYaml("version: 1\ndomains:\n  a.se:\n    nameservers: [ns1.a.se]\n");
    expect(p.errors).toEqual([]);
    expect(p.warnings[0]!.message).toMatch(/only one nameserver/);
  });
  it("reads the read-only status fields and ignores them", () => {
    const { m, p } = readYaml(
      "version: 1\ndomains:\n  a.se:\n    lock: true\n    status: Active\n    expires: 2027-01-01\n",
    );
    expect(p.errors).toEqual([]);
    expect(m.domains.get("a.se")!.info).toEqual({ status: "Active", expires: "2027-01-01" });
  });
});

describe("loadManifests", () => {
  it("reads a file named twice (itself and through its folder) once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-load-"));
    await writeFile(join(dir, "a.csv"), "domain,lock\na.se,ja\n");
    await writeFile(join(dir, "b.yaml"), "version: 1\ndomains:\n  b.se: {lock: false}\n");
    const { manifest, files } = await loadManifests([join(dir, "a.csv"), dir, `${dir}/./a.csv`]);
    expect(files.map((f) => f.slice(dir.length))).toEqual(["/a.csv", "/b.yaml"]);
    expect([...manifest.domains.keys()].sort()).toEqual(["a.se", "b.se"]);
  });
  it("skips a folder's files that are not manifests with one note; reads its zone saved as .txt; # columns are comments", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-load-"));
    await writeFile(join(dir, "domains.csv"), "domain,lock,# note\na.se,ja,ask Anna before unlocking\n");
    await writeFile(join(dir, "README.md"), "# Our portfolio\n");
    await writeFile(join(dir, "README"), "see README.md\n");
    await writeFile(join(dir, "notes.txt"), "Renew acme.se by hand, the card expires in March.\n");
    await writeFile(join(dir, "b.se.txt"), "$ORIGIN b.se.\n@ 3600 IN A 192.0.2.1\n");
    const { manifest, files, warnings } = await loadManifests([dir]);
    expect(files.map((f) => f.slice(dir.length))).toEqual(["/b.se.txt", "/domains.csv"]);
    expect([...manifest.domains.keys()].sort()).toEqual(["a.se", "b.se"]);
    expect(warnings.filter((w) => w.file === dir).map((w) => w.message)).toEqual([
      "skipped 3 file(s) that are not manifests: README, README.md, notes.txt",
    ]);
    // Named on its own, a text file that is not a manifest is still refused: it was asked for.
    const e = (await loadManifests([join(dir, "notes.txt")]).catch((x: unknown) => x)) as UserError;
    expect(e).toBeInstanceOf(UserError);
  });
  it("refuses a section a YAML file gave that a CSV file gives again; other sections merge", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-load-"));
    await writeFile(
      join(dir, "a.yaml"),
      'version: 1\ndomains:\n  a.se:\n    lock: true\n    dns:\n      - {host: "@", type: A, address: 192.0.2.1}\n',
    );
    await writeFile(join(dir, "b.csv"), "domain,lock,autorenew\na.se,nej,ja\n");
    const e = (await loadManifests([dir]).catch((x: unknown) => x)) as UserError;
    expect(e.problems.map((x) => `${x.file.slice(dir.length)}:${x.line}: ${x.message}`)).toEqual([
      `/b.csv:2: the lock of a.se is already given by an earlier file (the domain is first named at ${join(dir, "a.yaml")}:3); give each section of a domain once`,
    ]);
    await writeFile(join(dir, "b.csv"), "domain,autorenew\na.se,ja\n");
    const { manifest } = await loadManifests([dir]);
    expect(manifest.domains.get("a.se")).toMatchObject({
      lock: true,
      autorenew: true,
      dns: [{ host: "@", type: "A", address: "192.0.2.1", priority: null }],
    });
  });
  it("merges the sections of one domain from CSV and YAML files in any order, each section once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-load-"));
    await writeFile(join(dir, "a.csv"), "domain,lock\na.se,ja\n");
    await writeFile(join(dir, "b.yaml"), "version: 1\ndomains:\n  a.se:\n    autorenew: true\n");
    await writeFile(join(dir, "c.yaml"), "version: 1\ndomains:\n  a.se:\n    nameservers: [ns1.a.se, ns2.a.se]\n");
    const { manifest } = await loadManifests([dir]);
    expect(manifest.domains.get("a.se")).toMatchObject({
      lock: true,
      autorenew: true,
      nameservers: ["ns1.a.se", "ns2.a.se"],
    });
    // A later CSV file may not give again what a YAML file between gave, nor a YAML file what a CSV file gave.
    await writeFile(join(dir, "d.csv"), "domain,autorenew\na.se,nej\n");
    await writeFile(join(dir, "e.yaml"), "version: 1\ndomains:\n  a.se:\n    lock: false\n");
    const e = (await loadManifests([dir]).catch((x: unknown) => x)) as UserError;
    expect(e.problems.map((x) => `${x.file.slice(dir.length)}:${x.line}: ${x.message.split(" (")[0]}`)).toEqual([
      "/d.csv:2: the autorenew of a.se is already given by an earlier file",
      "/e.yaml:3: the lock of a.se is already given by an earlier file",
    ]);
  });
  it("reports a file it cannot read with the others' problems, in order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-load-"));
    await writeFile(join(dir, "a.csv"), "domain,lock\na.se,kanske\n");
    await mkdir(join(dir, "b.csv"));
    await writeFile(join(dir, "c.csv"), "domain,lock\nc.se,nej\nc.se,ja\n");
    const e = (await loadManifests([dir]).catch((x: unknown) => x)) as UserError;
    expect(e).toBeInstanceOf(UserError);
    expect(e.problems.map((x) => `${x.file.slice(dir.length)}:${x.line ?? ""}: ${x.message.slice(0, 30)}`)).toEqual([
      '/a.csv:2: lock "kanske" is not a boolean',
      "/b.csv:: cannot be read: a folder, not ",
      "/c.csv:3: c.se is listed twice in this f",
    ]);
  });
});

describe("CSV manifests", () => {
  it("reads each kind, by its header", async () => {
    const { m, p } = await readCsvFiles(
      new Map([
        ["domains.csv", "domain,ns1,ns2,lock,autorenew\nräksmörgås.se,ns1.a.se,ns2.a.se,ja,x\nb.se,,,nej,\n"],
        [
          "dns.csv",
          "domain,host,type,address,priority\nräksmörgås.se,'@,MX,mx.a.se,10\nräksmörgås.se,www,A,192.0.2.1,\nb.se,,,,\n",
        ],
        ["forwarding.csv", "domain,prefix,to\nräksmörgås.se,info,a@b.se\n"],
        ["registrant.csv", "domain,name,telephone\nräksmörgås.se,Örjan,'+46.701234567\n"],
        [
          "owners.csv",
          "owner,firstname,lastname,address1,city,postcode,country,phone,email\nacme,A,B,Gatan 1,Umeå,903 25,SE,+46.701234567,a@b.se\n",
        ],
        ["lifecycle.csv", "domain,operation,years,owner,authcode\nny.se,register,2,acme,\n"],
      ]),
    );
    expect(p.errors).toEqual([]);
    const d = m.domains.get("xn--rksmrgs-5wao1o.se")!;
    expect(d).toMatchObject({
      nameservers: ["ns1.a.se", "ns2.a.se"],
      lock: true,
      autorenew: true,
      forwarding: [{ prefix: "info", to: "a@b.se" }],
    });
    expect(d.registrant).toEqual({ name: "Örjan", telephone: "+46.701234567" });
    expect(d.dns).toHaveLength(2);
    expect(m.domains.get("b.se")).toMatchObject({ lock: false, dns: [] });
    expect(m.domains.get("b.se")!.autorenew).toBeUndefined();
    expect(m.domains.get("ny.se")!.register).toEqual({ years: 2, owner: "acme" });
    expect(m.owners.acme!.city).toBe("Umeå");
  });
  it("reads Excel's ways: BOM, semicolons, CRLF, quoted newlines", async () => {
    const bom = "\uFEFF";
    const { m, p } = await readCsvFiles(
      new Map([["dns.csv", `${bom}domain;host;type;address;priority\r\na.se;@;TXT;"rad ett\r\nrad två";\r\n`]]),
    );
    expect(p.errors).toEqual([]);
    expect(m.domains.get("a.se")!.dns![0]!.address).toBe("rad ett\r\nrad två");
  });
  it("reads Windows-1252 when the bytes are not UTF-8, and says so", async () => {
    const bytes = Buffer.from("domain\tname\tcity\na.se\tJ\xf6rgen\tG\xf6teborg\n", "latin1");
    const { m, p } = await readCsvFiles(new Map([["registrant.csv", bytes]]));
    expect(p.errors).toEqual([]);
    expect(m.domains.get("a.se")!.registrant).toEqual({ name: "Jörgen", city: "Göteborg" });
    expect(p.warnings[0]!.message).toMatch(/Windows-1252/);
  });
  it("refuses the same section of a domain from two files", async () => {
    const { p } = await readCsvFiles(
      new Map([
        ["a.csv", "domain,host,type,address,priority\na.se,@,A,192.0.2.1,\n"],
        ["b.csv", "domain,host,type,address,priority\na.se,@,A,192.0.2.2,\n"],
      ]),
    );
    expect(p.errors[0]!.message).toMatch(/the dns of a.se is already given at a.csv:2/);
  });
  it("gathers a zone whose rows are apart in one file, in order, and names their own lines", async () => {
    const { m, p } = await readCsvFiles(
      new Map([
        [
          "dns.csv",
          "domain,host,type,address,priority\na.se,www,A,192.0.2.1,\nb.se,@,A,192.0.2.9,\na.se,@,A,192.0.2.2,\na.se,www,CNAME,b.se,\n",
        ],
      ]),
    );
    expect(m.domains.get("a.se")!.dns!.map((r) => r.address)).toEqual(["192.0.2.1", "192.0.2.2", "b.se"]);
    expect(p.warnings.map((e) => `${e.line}: ${e.message}`)).toEqual([
      expect.stringMatching(/^5: CNAME at "www" stands beside 1 other/),
    ]);
  });
  it("knows a domain by any spelling: Unicode, ACE, upper case, a trailing dot", async () => {
    const { m, p } = await readCsvFiles(
      new Map([
        ["d1.csv", "domain,ns1,ns2\nRäksmörgås.se,ns1.a.se,ns2.a.se\n"],
        ["d2.csv", "domain,lock\nxn--rksmrgs-5wao1o.se.,ja\n"],
        ["d3.csv", "domain,ns1,ns2\nräksmörgås.se,ns3.a.se,ns4.a.se\n"],
      ]),
    );
    expect(m.domains.size).toBe(1);
    expect(m.domains.get("xn--rksmrgs-5wao1o.se")).toMatchObject({
      display: "räksmörgås.se",
      lock: true,
      nameservers: ["ns1.a.se", "ns2.a.se"],
    });
    expect(p.errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([
      "d3.csv:2: the nameservers of räksmörgås.se is already given at d1.csv:2; give each section of a domain once",
    ]);
  });
  it("refuses a domain listed twice in one domains file, and forwarding given in two files", async () => {
    const { p } = await readCsvFiles(
      new Map([
        ["d.csv", "domain,lock\na.se,ja\nA.SE,nej\n"],
        ["f1.csv", "domain,prefix,to\na.se,info,x@b.se\na.se,sales,y@b.se\n"],
        ["f2.csv", "domain,prefix,to\na.se,kontakt,z@b.se\n"],
      ]),
    );
    expect(p.errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([
      "d.csv:3: a.se is listed twice in this file (first on line 2)",
      "f2.csv:2: the forwarding of a.se is already given at f1.csv:2; give each section of a domain once",
    ]);
  });
});

// ---- round trip ----

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/).filter((l) => !l.includes("--"));
const idnLabel = fc.constantFrom("räksmörgås", "ödla", "åsa", "kärlek", "smörgås");
const domainArb = fc
  .tuple(fc.oneof(label, idnLabel), fc.constantFrom("se", "nu", "com"), fc.nat(999))
  .map(([l, t, n]) => `${l}${n}.${t}`);
const host = fc.constantFrom("@", "www", "mail", "*", "_dmarc", "shop.eu");
const ipv4 = fc.ipV4();
const recordArb = (domain: string): fc.Arbitrary<DnsRecord> =>
  fc.oneof(
    fc.record({ host, type: fc.constant("A" as const), address: ipv4, priority: fc.constant(null) }),
    fc.record({
      host,
      type: fc.constant("AAAA" as const),
      address: fc.ipV6().map((a) => new URL(`http://[${a}]`).hostname.slice(1, -1)),
      priority: fc.constant(null),
    }),
    fc.record({
      host,
      type: fc.constant("MX" as const),
      address: fc.constantFrom("mx1.host.se", `mx.${domain}`),
      priority: fc.integer({ min: 0, max: 65535 }),
    }),
    fc.record({ host, type: fc.constant("MXE" as const), address: ipv4, priority: fc.integer({ min: 0, max: 100 }) }),
    fc.record({
      host,
      type: fc.constant("TXT" as const),
      address: fc
        .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
        .filter((s) => s.trim() === s && s !== "" && !(s.startsWith('"') && s.endsWith('"'))),
      priority: fc.constant(null),
    }),
    fc.record({
      host,
      type: fc.constantFrom("URL" as const, "FRAME" as const),
      address: fc.constantFrom("https://a.se/x?y=1", "http://b.nu/"),
      priority: fc.constant(null),
    }),
  );

const manifestArb: fc.Arbitrary<Manifest> = fc.uniqueArray(domainArb, { minLength: 1, maxLength: 6 }).chain((names) =>
  fc
    .tuple(
      ...names.map((n) =>
        fc.record(
          {
            nameservers: fc.uniqueArray(fc.constantFrom("ns1.a.se", "ns2.a.se", "ns3.b.nu", "ns.räksmörgås.se"), {
              minLength: 1,
              maxLength: 4,
            }),
            lock: fc.boolean(),
            autorenew: fc.boolean(),
            dns: fc.uniqueArray(recordArb(n), {
              maxLength: 8,
              selector: (r) => `${r.host}|${r.type}|${r.address}|${r.priority}`,
            }),
            forwarding: fc.uniqueArray(
              fc.record({
                prefix: fc.constantFrom("info", "sales", "a.b"),
                to: fc.constantFrom("x@y.se", "anna@acme.se"),
              }),
              { maxLength: 3, selector: (f) => f.prefix },
            ),
            registrant: fc.record(
              {
                name: fc.constantFrom("Örjan Åkesson", "=SUM(A1)", "-minus"),
                city: fc.constantFrom("Göteborg", "@home"),
                telephone: fc.constant("+46.701234567"),
              },
              { requiredKeys: [] },
            ),
            expiresNotBefore: fc.constantFrom("2028-06-01", "2030-01-31"),
          },
          { requiredKeys: [] },
        ),
      ),
    )
    .map((sections) => {
      const m = emptyManifest();
      names.forEach((n, i) => {
        const ace = new URL(`http://${n}`).hostname;
        const s = sections[i]!;
        const d: DesiredDomain = { name: ace, display: n, source: { file: "gen" }, ...s } as DesiredDomain;
        if (d.nameservers) d.nameservers = d.nameservers.map((x) => new URL(`http://${x}`).hostname);
        if (d.dns) {
          // The model holds canonical values (ACE targets), as the readers produce them.
          d.dns = d.dns.map((r) => normalizeRecord(r, ace));
        }
        m.domains.set(ace, d);
      });
      return m;
    }),
);

function comparable(m: Manifest) {
  return sortedDomains(m).map(({ source: _s, ...d }) => d);
}

describe("round trip", () => {
  it("YAML: write then read is identity", () => {
    fc.assert(
      fc.property(manifestArb, (m) => {
        const { m: back, p } = readYaml(writeYamlManifest(m));
        expect(p.errors).toEqual([]);
        expect(comparable(back)).toEqual(comparable(m));
      }),
      { numRuns: 200 },
    );
  });
  it("JSON: write then read is identity", () => {
    fc.assert(
      fc.property(manifestArb, (m) => {
        const { m: back, p } = readYaml(writeJsonManifest(m));
        expect(p.errors).toEqual([]);
        expect(comparable(back)).toEqual(comparable(m));
      }),
      { numRuns: 100 },
    );
  });
  it("CSV (plain and Excel style): write then read is identity", async () => {
    await fc.assert(
      fc.asyncProperty(manifestArb, fc.boolean(), async (m, excel) => {
        const files = writeCsvManifest(m, { excel });
        const { m: back, p } = await readCsvFiles(new Map([...files].map(([k, v]) => [k, Buffer.from(v)])));
        expect(p.errors).toEqual([]);
        // An empty registrant has no row in CSV: it is "not managed" there.
        const strip = (x: Manifest) =>
          comparable(x).map((d) =>
            d.registrant && Object.keys(d.registrant).length === 0 ? { ...d, registrant: undefined } : d,
          );
        expect(JSON.parse(JSON.stringify(strip(back)))).toEqual(JSON.parse(JSON.stringify(strip(m))));
      }),
      { numRuns: 200 },
    );
  });
  it("neutralizes formula cells in CSV and restores them on read", async () => {
    const { m } = readYaml(
      "version: 1\ndomains:\n  a.se:\n    registrant: {name: '=HYPERLINK(\"x\")', city: '@evil', telephone: '+46.701234567'}\n",
    );
    const csv = writeCsvManifest(m).get("registrant.csv")!;
    expect(csv).toContain(`'=HYPERLINK`);
    expect(csv).toContain("'@evil");
    expect(csv).toContain("'+46.701234567");
    const { m: back } = await readCsvFiles(new Map([["registrant.csv", csv]]));
    expect(back.domains.get("a.se")!.registrant!.name).toBe('=HYPERLINK("x")');
  });
  it("escapes the escape: a value that starts with ' before = + - @ reads back as written", async () => {
    const { m } = readYaml(
      'version: 1\ndomains:\n  a.se:\n    dns:\n      - {host: t, type: TXT, address: "\'=5+5"}\n      - {host: u, type: TXT, address: "\'\'@x"}\n      - {host: v, type: TXT, address: "\'x"}\n',
    );
    const csv = writeCsvManifest(m).get("dns.csv")!;
    expect(csv).toContain("''=5+5");
    expect(csv).toContain("'''@x");
    const { m: back, p } = await readCsvFiles(new Map([["dns.csv", csv]]));
    expect(p.errors).toEqual([]);
    expect(back.domains.get("a.se")!.dns!.map((r) => r.address)).toEqual(["'=5+5", "''@x", "'x"]);
  });
  it("writes in a stable order", () => {
    fc.assert(
      fc.property(manifestArb, (m) => {
        const reversed = emptyManifest();
        for (const d of [...m.domains.values()].reverse())
          reversed.domains.set(d.name, { ...d, dns: d.dns ? [...d.dns].reverse() : undefined } as DesiredDomain);
        expect(writeYamlManifest(reversed)).toBe(writeYamlManifest(m));
      }),
      { numRuns: 100 },
    );
  });
});
