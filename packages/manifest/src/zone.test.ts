/**
 * Zone files in and out. The reader is tested on files in the shapes real tools write, and
 * differentially against BIND itself: named-compilezone rewrites each fixture into its canonical
 * form, and reading that must give the very same records. The writer's files must pass
 * named-checkzone. Without bind9-utils these skip, unless REQUIRE_BIND=1 (CI).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@regdom/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadManifests } from "./load.js";
import { emptyManifest, type Manifest } from "./model.js";
import { compareRecords, unquoteTxt } from "./normalize.js";
import { Problems } from "./problems.js";
import { readZoneManifest } from "./zoneRead.js";
import { quoteTxt, writeZoneFile } from "./zoneWrite.js";

const FIXTURES = new URL("../../../test-fixtures/zones/", import.meta.url).pathname;
const bindAvailable = spawnSync("named-checkzone", ["-v"]).status === 0;
const bindRequired = process.env.REQUIRE_BIND === "1";
const withBind = bindAvailable || bindRequired ? it : it.skip;

function read(text: string, file = "x.zone", o = {}): { m: Manifest; p: Problems } {
  const m = emptyManifest();
  const p = new Problems();
  readZoneManifest(text, file, p, m, o);
  return { m, p };
}

const only = (m: Manifest) => [...m.domains.values()][0]!;

describe("zone files in", () => {
  it("reads the shapes real exporters write", () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".zone"));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const octo = read(readFileSync(join(FIXTURES, "octodns-style.zone"), "utf8"), "octodns-style.zone");
    expect(octo.p.errors).toEqual([]);
    expect(only(octo.m).dns).toEqual([
      { host: "@", type: "A", address: "192.0.2.1", priority: null },
      { host: "@", type: "A", address: "192.0.2.2", priority: null },
      { host: "mail", type: "A", address: "192.0.2.30", priority: null },
      { host: "@", type: "MX", address: "mail.vind.nu", priority: 10 },
      { host: "@", type: "MX", address: "mx2.host.se", priority: 20 },
      {
        host: "long",
        type: "TXT",
        address: "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCabcdefghijklmnopqrstuvwxyz0123456789",
        priority: null,
      },
      { host: "quoted", type: "TXT", address: 'say "hej" \\ to 多 å', priority: null },
    ]);
    // One note per file for the SOA/NS and the TTLs, not one per record.
    expect(octo.p.warnings.map((w) => w.message)).toEqual([
      "SOA and apex NS records skipped (the registrar runs the zone; nameservers are their own section); TTLs dropped (the API has no TTL)",
    ]);
    const cf = read(readFileSync(join(FIXTURES, "cloudflare-style.zone"), "utf8"), "cloudflare-style.zone");
    expect(only(cf.m).name).toBe("xn--rksmrgs-5wao1o.se");
    expect(only(cf.m).dns).toContainEqual({
      host: "www",
      type: "CNAME",
      address: "xn--rksmrgs-5wao1o.se",
      priority: null,
    });
  });

  it("refuses records the registrar does not offer with file:line, or skips and lists them", () => {
    const text = readFileSync(join(FIXTURES, "pdnsutil.zone"), "utf8");
    const refused = read(text, "pdnsutil.zone");
    expect(refused.p.errors).toEqual([
      expect.objectContaining({
        file: "pdnsutil.zone",
        line: 8,
        message: expect.stringMatching(/^SRV records are not offered/),
      }),
    ]);
    const skipped = read(text, "pdnsutil.zone", { skipUnsupported: true });
    expect(skipped.p.errors).toEqual([]);
    expect(skipped.p.warnings[0]).toMatchObject({
      line: 8,
      message: 'skipped SRV record at "_sip._tcp": the registrar does not offer it',
    });
    expect(only(skipped.m).name).toBe("sol.se");
  });

  it("refuses $INCLUDE and $GENERATE, NS below the apex, and unclosed quotes, each at its place", () => {
    const cases: [string, RegExp, number][] = [
      ["$ORIGIN a.se.\n$INCLUDE other.zone\n", /\$INCLUDE is not supported/, 2],
      ["$ORIGIN a.se.\n$GENERATE 1-10 host$ A 192.0.2.$\n", /\$GENERATE is not supported/, 2],
      ["$ORIGIN a.se.\nsub IN NS ns1.other.se.\n", /NS below the apex/, 2],
      ['$ORIGIN a.se.\n@ IN TXT "open\n', /quoted string is not closed/, 2],
      ["$ORIGIN a.se.\nwww IN A 300.1.1.1\n", /A record address "300\.1\.1\.1" must be an IPv4 address/, 2],
      ["$ORIGIN a.se.\nother.se. IN A 192.0.2.1\n", /outside the zone/, 2],
    ];
    for (const [text, message, line] of cases) {
      const { p } = read(text);
      expect(p.errors[0]?.message, text).toMatch(message);
      expect(p.errors[0]?.line, text).toBe(line);
    }
  });

  it("the file name decides the zone: a $ORIGIN outside it is an error naming both, one inside sets relative names", () => {
    const other = read("$ORIGIN acme.se.\n@ IN A 192.0.2.1\n", "dir/acme.nu.zone");
    expect(other.p.errors).toEqual([
      expect.objectContaining({
        file: "dir/acme.nu.zone",
        line: 1,
        message: expect.stringMatching(/\$ORIGIN acme\.se\. is outside the zone acme\.nu \(named by the file name\)/),
      }),
    ]);
    const sub = read("$ORIGIN www.acme.nu.\n@ IN A 192.0.2.1\n$ORIGIN acme.nu.\n@ IN A 192.0.2.2\n", "acme.nu.zone");
    expect(sub.p.errors).toEqual([]);
    expect(only(sub.m).name).toBe("acme.nu");
    expect(only(sub.m).dns).toEqual([
      { host: "www", type: "A", address: "192.0.2.1", priority: null },
      { host: "@", type: "A", address: "192.0.2.2", priority: null },
    ]);
    // Without a domain in the file name, the zone is the widest $ORIGIN, whichever comes first.
    const unnamed = read("$ORIGIN www.acme.nu.\n@ IN A 192.0.2.1\n$ORIGIN acme.nu.\n@ IN A 192.0.2.2\n", "export.zone");
    expect(unnamed.p.errors).toEqual([]);
    expect(only(unnamed.m).name).toBe("acme.nu");
    const apart = read("$ORIGIN a.se.\n@ IN A 192.0.2.1\n$ORIGIN b.se.\n@ IN A 192.0.2.2\n", "export.zone");
    expect(apart.p.errors).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringMatching(/\$ORIGIN b\.se\. is outside the zone a\.se/),
      }),
    ]);
  });

  it("compares a Unicode $ORIGIN and owner names in ACE", () => {
    const text = "$ORIGIN räksmörgås.se.\n@ IN A 192.0.2.1\nwww.räksmörgås.se. IN CNAME räksmörgås.se.\n";
    for (const file of ["räksmörgås.se.zone", "xn--rksmrgs-5wao1o.se.zone", "export.zone"]) {
      const { m, p } = read(text, file);
      expect(p.errors, file).toEqual([]);
      expect(only(m).name, file).toBe("xn--rksmrgs-5wao1o.se");
      expect(only(m).dns, file).toEqual([
        { host: "@", type: "A", address: "192.0.2.1", priority: null },
        { host: "www", type: "CNAME", address: "xn--rksmrgs-5wao1o.se", priority: null },
      ]);
    }
  });

  it("warns, with the line, when an unquoted TXT is several strings that are joined", () => {
    const { m, p } = read('$ORIGIN a.se.\n@ IN TXT v=spf1 -all\n@ IN TXT "v=spf1 " "mx -all"\n');
    expect(p.errors).toEqual([]);
    expect(only(m).dns!.map((r) => r.address)).toEqual(["v=spf1-all", "v=spf1 mx -all"]);
    expect(p.warnings).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/TXT of 2 unquoted strings is joined without spaces as "v=spf1-all"/),
      }),
    ]);
  });

  it("reads a zone file saved as .txt as a zone when its name gives the domain, else asks to rename it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "regdom-zone-txt-"));
    const zone =
      "; exported by a DNS host\n$TTL 300\n@ IN SOA ns1.h.net. admin.h.net. 1 2 3 4 5\n@ 300 IN A 192.0.2.1\n";
    const named = join(dir, "acme.se.txt");
    writeFileSync(named, zone);
    const { manifest } = await loadManifests([named]);
    expect([...manifest.domains.values()].map((d) => [d.name, d.dns])).toEqual([
      ["acme.se", [{ host: "@", type: "A", address: "192.0.2.1", priority: null }]],
    ]);
    const bare = join(dir, "records.txt");
    writeFileSync(bare, "www IN A 192.0.2.1\nmail\tIN\tMX\t10 mx.h.net.\n");
    const e = (await loadManifests([bare]).catch((x: unknown) => x)) as UserError;
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toContain(
      `${bare}:1:1: this is a zone file (a DNS master file), not a CSV: rename it to DOMAIN.zone`,
    );
    // A CSV saved as .txt is still a CSV.
    const csv = join(dir, "list.txt");
    writeFileSync(csv, "domain,lock\nacme.se,true\n");
    expect([...(await loadManifests([csv])).manifest.domains.keys()]).toEqual(["acme.se"]);
  });

  withBind("gives the same records as BIND's own canonical rewrite of each fixture (differential)", () => {
    for (const f of readdirSync(FIXTURES).filter((x) => x.endsWith(".zone"))) {
      const text = readFileSync(join(FIXTURES, f), "utf8");
      const ours = read(text, f, { skipUnsupported: true });
      expect(ours.p.errors, f).toEqual([]);
      const d = only(ours.m);
      const canonical = execFileSync("named-compilezone", ["-q", "-o", "-", d.name, join(FIXTURES, f)]).toString();
      const theirs = read(canonical, `${d.name}.zone`, { skipUnsupported: true });
      expect(theirs.p.errors, f).toEqual([]);
      expect([...only(theirs.m).dns!].sort(compareRecords), f).toEqual([...d.dns!].sort(compareRecords));
    }
  });
});

describe("zone files out", () => {
  it("TXT: quoted, escaped, split at 255 bytes, and read back to the same text", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 700, unit: "grapheme" }), (s) => {
        const text = s.trim() === "" ? "x" : s;
        const zone = `$ORIGIN a.se.\n@ IN TXT ${quoteTxt(text)}\n`;
        const { m, p } = read(zone);
        if (p.errors.length) return; // texts the TXT checks refuse (empty after trimming, too long)
        expect(only(m).dns![0]!.address).toBe(unquoteTxt(text));
      }),
      { numRuns: 300 },
    );
  });

  withBind("every file passes named-checkzone, and reads back to the same zone (URL, FRAME, MXE included)", () => {
    const dir = mkdtempSync(join(tmpdir(), "regdom-zone-"));
    const d = {
      name: "xn--rksmrgs-5wao1o.se",
      display: "räksmörgås.se",
      source: { file: "t" },
      nameservers: ["ns1.host.se", "ns2.host.se"],
      dns: [
        { host: "@", type: "A", address: "192.0.2.1", priority: null },
        { host: "@", type: "AAAA", address: "2001:db8::1", priority: null },
        { host: "@", type: "MX", address: "mx.host.se", priority: 10 },
        { host: "@", type: "MXE", address: "192.0.2.25", priority: 20 },
        { host: "www", type: "CNAME", address: "xn--rksmrgs-5wao1o.se", priority: null },
        { host: "@", type: "TXT", address: `v=spf1 mx -all "quoted" ${"x".repeat(300)} å`, priority: null },
        { host: "go", type: "URL", address: "https://example.se/a?b=c", priority: null },
        { host: "frame", type: "FRAME", address: "https://example.se/", priority: null },
        { host: "_dmarc", type: "TXT", address: "v=DMARC1; p=none", priority: null },
      ],
    };
    const { text, commented } = writeZoneFile(d);
    expect(commented.map((r) => r.type).sort()).toEqual(["FRAME", "MXE", "URL"]);
    const file = join(dir, `${d.name}.zone`);
    writeFileSync(file, text);
    const check = spawnSync("named-checkzone", [d.name, file], { encoding: "utf8" });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const back = read(text, file);
    expect(back.p.errors).toEqual([]);
    expect([...only(back.m).dns!].sort((a, b) => (a.host + a.type < b.host + b.type ? -1 : 1))).toEqual(
      [...d.dns].sort((a, b) => (a.host + a.type < b.host + b.type ? -1 : 1)),
    );
  });

  withBind(
    "a registrar value cannot add a line: control characters are escaped, records no zone file can hold are comments",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "regdom-zone-forge-"));
      const forged = "\n@ IN A 6.6.6.6\n$INCLUDE /etc/passwd\n";
      const d = {
        name: "a.se",
        display: "a.se",
        source: { file: "t" },
        nameservers: ["ns1.host.se", "ns2.host.se"],
        dns: [
          { host: "@", type: "A", address: "192.0.2.1", priority: null },
          { host: "go", type: "URL", address: `https://a.se/${forged}`, priority: null },
          { host: "m", type: "MXE", address: `192.0.2.25${forged}`, priority: 10 },
          { host: `x${forged}`, type: "A", address: "192.0.2.2", priority: null },
          { host: "y", type: "A", address: `192.0.2.3${forged}`, priority: null },
          { host: "z", type: "CAA", address: `0 issue "ca.example"${forged}`, priority: null },
          { host: "$INCLUDE", type: "TXT", address: "/etc/passwd", priority: null },
          { host: "c", type: "CNAME", address: `a.se${forged}`, priority: null },
          { host: "t", type: "TXT", address: `v=1${forged}\u001b[2J`, priority: null },
        ],
      };
      const { text } = writeZoneFile(d);
      const file = join(dir, "a.se.zone");
      writeFileSync(file, text);
      const check = spawnSync("named-checkzone", ["-D", "-o", "-", "a.se", file], { encoding: "utf8" });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toMatch(/^a\.se\.\s+3600\s+IN\s+A\s+192\.0\.2\.1$/m);
      expect(check.stdout + check.stderr).not.toMatch(/^\S+\s+\d+\s+IN\s+A\s+6\.6\.6\.6$|^root:|passwd:\d/m);
      expect(check.stdout.trim().split("\n")).toHaveLength(5);
      // Every line of the file is a directive, the SOA/NS, a record of ours or a comment.
      for (const line of text.trimEnd().split("\n"))
        expect(line, line).toMatch(/^(;|\$ORIGIN a\.se\.$|\$TTL 3600$|@ |[a-z] )/);
      // Read back, the values keep their control characters (and are checked as values), never lines.
      const back = read(text, file);
      for (const e of back.p.errors) expect(e.message).not.toMatch(/^(\$INCLUDE|unknown directive|\S+ is outside)/);
      expect(only(back.m).dns!.filter((r) => r.address === "6.6.6.6")).toEqual([]);
      expect(text).toContain("; regdom-record: go URL https://a.se/\\010@\\032IN\\032A\\0326.6.6.6\\010$INCLUDE");
    },
  );
});
