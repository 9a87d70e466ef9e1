import type { DnsRecord } from "@regdom/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dnsRecord, hostname, ignoreRule } from "./fields.js";
import { normalizeRecord } from "./normalize.js";
import { Problems } from "./problems.js";

const DOMAIN = "example.se";
const ref = () => ({ file: "t.csv", line: 1 });

/** Records as people write them: mixed case, trailing dots, quotes, the domain spelled out. */
const messyName = fc
  .domain()
  .chain((d) => fc.tuple(fc.constant(d), fc.boolean(), fc.boolean()))
  .map(([d, upper, dot]) => `${upper ? d.toUpperCase() : d}${dot ? "." : ""}`);
const host = fc.oneof(
  fc.constantFrom(
    "@",
    "",
    "www",
    "WWW",
    "mail.",
    "*.shop",
    "_dmarc",
    "a.b",
    DOMAIN,
    `www.${DOMAIN}.`,
    "räksmörgås",
    "bad host",
    "-x",
  ),
  fc.stringMatching(/^[a-z0-9_-]{1,8}$/),
);
const address = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV6().map((a) => a.toUpperCase()),
  messyName,
  fc.webUrl(),
  fc.string(),
  fc.string().map((s) => `"${s}"`),
  fc.constant(" räksmörgås.se. "),
);
const fitting: Record<string, fc.Arbitrary<string>> = {
  A: fc.ipV4(),
  MXE: fc.ipV4(),
  aaaa: fc.oneof(
    fc.ipV6(),
    fc.ipV6().map((a) => a.toUpperCase()),
  ),
  CNAME: messyName,
  mx: messyName,
  TXT: fc.oneof(
    fc.string({ minLength: 1 }),
    fc.string().map((s) => `"${s}"`),
  ),
  URL: fc.webUrl(),
  frame: fc.webUrl(),
};
// Half the records fit their type; the rest mix any type with any address.
const typeAndAddress = fc.oneof(
  fc.constantFrom(...Object.keys(fitting)).chain((type) => fc.tuple(fc.constant(type), fitting[type]!)),
  fc.tuple(fc.constantFrom("A", "aaaa", "CNAME", "mx", "MXE", "TXT", "URL", "frame", "SRV"), address),
);
const raw = fc
  .record({
    host,
    typeAndAddress,
    priority: fc.oneof(fc.constant(""), fc.constant("10"), fc.constant("N/A"), fc.nat({ max: 70000 }).map(String)),
  })
  .map(({ host, typeAndAddress: [type, address], priority }) => ({ host, type, address, priority }));

describe("dnsRecord", () => {
  it("gives what normalizeRecord gives, and a fixed point of it, for every record it accepts", () => {
    let accepted = 0;
    fc.assert(
      fc.property(raw, (r) => {
        const p = new Problems();
        const rec = dnsRecord(r, DOMAIN, ref, p);
        // Twice: the second call takes the memoized paths and must agree with the first.
        const again = dnsRecord(r, DOMAIN, ref, new Problems());
        expect(again).toEqual(rec);
        if (!rec) {
          expect(p.errors.length).toBeGreaterThan(0);
          return;
        }
        accepted += 1;
        expect(p.errors).toEqual([]);
        const plain: DnsRecord = {
          host: r.host.trim(),
          type: r.type.trim().toUpperCase() as DnsRecord["type"],
          address: r.address.trim(),
          priority: rec.priority,
        };
        expect(rec).toEqual(normalizeRecord(plain, DOMAIN));
        expect(normalizeRecord(rec, DOMAIN)).toEqual(rec);
      }),
      { numRuns: 3000 },
    );
    // The generators must reach the accepting paths, or this test proves nothing.
    expect(accepted).toBeGreaterThan(500);
  });

  it("reports a refused host at every occurrence, memoized or not", () => {
    for (let i = 0; i < 3; i++) {
      const p = new Problems();
      expect(
        dnsRecord({ host: "bad host", type: "A", address: "192.0.2.1", priority: "" }, DOMAIN, ref, p),
      ).toBeUndefined();
      expect(p.errors.map((e) => e.message)).toEqual([expect.stringContaining('host "bad host" is not valid')]);
    }
  });
});

describe("hostname", () => {
  it("memoizes only names it accepted: a refused one is reported every time", () => {
    for (let i = 0; i < 3; i++) {
      const p = new Problems();
      expect(hostname("NS1.Host.SE.", ref(), p, "ns1")).toBe("ns1.host.se");
      expect(hostname("ns1 .host.se", ref(), p, "ns1")).toBeUndefined();
      expect(p.errors).toHaveLength(1);
    }
  });
});

describe("record types", () => {
  const rec = (type: string) => {
    const p = new Problems();
    const r = dnsRecord({ host: "x", type, address: "0 issue ca.example", priority: null }, DOMAIN, ref, p);
    return { r, errors: p.errors.map((e) => e.message), warnings: p.warnings.map((w) => w.message) };
  };

  it("sends a type regdom does not check only when it is a registered DNS type, else suggests the closest", () => {
    for (const type of ["CAA", "SRV", "caa", "NS", "SPF", "TLSA", "HTTPS", "TYPE65534"]) {
      const { r, errors, warnings } = rec(type);
      expect(errors, type).toEqual([]);
      expect(r?.type, type).toBe(type);
      expect(warnings[0], type).toMatch(/sent exactly as written/);
    }
    for (const [typo, near] of [
      ["AAA", "AAAA"],
      ["CNAM", "CNAME"],
      ["TXTT", "TXT"],
      ["MXX", "MX"],
      ["BOGUS", undefined],
    ] as const) {
      const { r, errors } = rec(typo);
      expect(r, typo).toBeUndefined();
      expect(errors, typo).toEqual([
        expect.stringMatching(
          new RegExp(`^record type "${typo}" is not a DNS record type${near ? ` \\(did you mean ${near}\\?\\)` : ""}`),
        ),
      ]);
    }
  });

  it("an ignore rule's type is a registered DNS type too", () => {
    const p = new Problems();
    expect(ignoreRule("_acme-challenge*", "TXT", ref(), p)).toEqual({ host: "_acme-challenge*", type: "TXT" });
    expect(ignoreRule("x", "caa", ref(), p)).toEqual({ host: "x", type: "CAA" });
    expect(p.errors).toEqual([]);
    expect(ignoreRule("x", "BOGUS", ref(), p)).toBeUndefined();
    expect(ignoreRule("x", "TXTT", ref(), p)).toBeUndefined();
    expect(p.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^dns_ignore type "BOGUS" is not a DNS record type/),
      expect.stringMatching(/^dns_ignore type "TXTT" is not a DNS record type \(did you mean TXT\?\)/),
    ]);
  });
});
