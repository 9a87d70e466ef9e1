/**
 * Fuzzing the readers and decoders with fast-check (1,500 cases each, sized to take seconds on a
 * loaded machine; a failure prints its seed and shrunk input): arbitrary bytes and structured
 * mutations of valid input. Each may only answer with a typed problem or error — never a crash, a
 * hang or an unbounded allocation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCsvManifest } from "./csvRead.js";
import { emptyManifest } from "./model.js";
import { Problems } from "./problems.js";
import { readYamlManifest } from "./yamlRead.js";

const RUNS = 1_500;

/** Valid input, then a few random edits: delete, insert or replace a slice. */
function mutated(seeds: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ maxLength: 6, unit: "binary" })), { maxLength: 4 }),
    )
    .map(([s, edits]) =>
      edits.reduce((acc, [at, del, ins]) => {
        const i = acc.length ? at % acc.length : 0;
        return acc.slice(0, i) + ins + acc.slice(i + del);
      }, s),
    );
}

const YAML_SEEDS = [
  `version: 1\nowners:\n  acme: {firstname: A, lastname: B, address1: x, city: y, postcode: "1", country: SE, phone: "+46.701234567", email: a@b.se}\ndomains:\n  räksmörgås.se:\n    nameservers: [ns1.a.se, ns2.a.se]\n    lock: true\n    dns:\n      - {host: "@", type: MX, address: mx.a.se, priority: 10}\n      - {host: www, type: CNAME, address: a.se}\n    forwarding: [{prefix: info, to: a@b.se}]\n  b.se:\n    register: {years: 1, owner: acme}\n`,
  `version: 1\ndomains:\n  a.se: &x\n    lock: false\n  b.se: *x\n`,
  `{"version": 1, "domains": {"a.se": {"dns": [{"host": "@", "type": "TXT", "address": "x"}]}}}`,
];
const CSV_SEEDS = [
  'domain,host,type,address,priority\nräksmörgås.se,@,MX,mx.a.se,10\na.se,www,TXT,"a\nb",\n',
  "\uFEFFdomain;ns1;ns2;lock\r\na.se;ns1.a.se;ns2.a.se;ja\r\n",
  "owner,firstname,lastname,address1,city,postcode,country,phone,email\nacme,A,B,x,y,1,SE,+46.701234567,a@b.se\n",
  "domain,operation,years,owner,authcode\na.se,transfer,1,acme,'=x\n",
];

describe("fuzz: YAML manifests", () => {
  it("arbitrary text and mutations give problems, never a throw", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 400 }), mutated(YAML_SEEDS)), (text) => {
        const p = new Problems();
        readYamlManifest(text, "f.yaml", p, emptyManifest());
        for (const e of p.errors) expect(e.file).toBe("f.yaml");
      }),
      { numRuns: RUNS },
    );
  });
});

describe("fuzz: CSV manifests", () => {
  it("arbitrary bytes and mutations give problems, never a throw", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          mutated(CSV_SEEDS).map((s) => Buffer.from(s)),
        ),
        async (bytes) => {
          const p = new Problems();
          await readCsvManifest(bytes, "f.csv", p, emptyManifest());
          for (const e of p.errors) expect(e.file).toBe("f.csv");
        },
      ),
      { numRuns: RUNS },
    );
  });
  it("refuses 100,000 columns, NUL bytes and huge cells with clear messages", async () => {
    const cases: [Buffer, RegExp][] = [
      [
        Buffer.from(`${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(",")}\n`),
        /a row is larger than 256 kB \(too many columns or a huge cell\)/,
      ],
      [Buffer.from("domain,lock\na.se,\u0000\n"), /NUL bytes/],
      [Buffer.from(`domain,host,type,address,priority\na.se,@,TXT,${"x".repeat(70_000)},\n`), /at most 65536/],
      [Buffer.concat([Buffer.from("domain,name\na.se,Jörgen\n"), Buffer.from("b.se,J\xf6rgen\n", "latin1")]), /./],
    ];
    for (const [bytes, re] of cases) {
      const p = new Problems();
      const m = emptyManifest();
      await readCsvManifest(bytes, "f.csv", p, m);
      expect([...p.errors, ...p.warnings].map((e) => e.message).join("\n")).toMatch(re);
    }
  });
});
