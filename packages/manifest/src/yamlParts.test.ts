/**
 * Large manifests are read in parts, each first with a fast parser that keeps no positions. The
 * result must be exactly what reading the whole document gives: the same domains, and the same
 * problems at the same lines and columns (differential property over generated manifests).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyManifest } from "./model.js";
import { Problems } from "./problems.js";
import { readYamlManifest, type SplitOptions, splitDomains } from "./yamlRead.js";

function read(text: string, split: SplitOptions = {}) {
  const m = emptyManifest();
  const p = new Problems();
  readYamlManifest(text, "m.yaml", p, m, split);
  const key = (x: { line?: number; column?: number; message: string }) => `${x.line}:${x.column} ${x.message}`;
  return {
    domains: [...m.domains.values()].map((d) => JSON.stringify(d)).sort(),
    owners: m.owners,
    errors: p.errors.map(key).sort(),
    warnings: p.warnings.map(key).sort(),
  };
}

const good = (i: number) =>
  [
    `  dom-${i}.se:`,
    `    nameservers: [ns1.host.se, ns2.host.se]`,
    `    lock: ${i % 2 === 0}`,
    `    dns:`,
    `      - {host: "@", type: A, address: 192.0.2.${i % 250}}`,
    `      - {host: "@", type: MX, address: mx.host.se, priority: 10}`,
  ].join("\n");

// Faults a person makes, each on one domain: every one must keep its exact position.
const faults: ((i: number) => string)[] = [
  (i) => `  bad-${i}.se:\n    dns:\n      - {host: "@", type: A, address: 300.1.1.1}`,
  (i) => `  bad-${i}.se:\n    lock: maybe`,
  (i) => `  bad-${i}.se:\n    nameservrs: [ns1.a.se]`,
  (i) => `  bad-${i}.se:\n    dns:\n      - {host: "@", type: SRV, address: 10 5 sip.a.se}`,
  (i) => `  dom-${i}.se:\n    lock: true`,
  (i) => `  bad-${i}.se:\n    dns: [{host: "@", type: A, address: 192.0.2.1, host: www}]`,
  (i) => `  bad-${i}.se:\n    nameservers: [ns1.a.se, ns1.a.se]`,
];

describe("reading a large manifest in parts", () => {
  // Parts of a few domains (not the 200 of real files) reach many part boundaries in small
  // manifests: sized to take seconds, not minutes, on a loaded machine. fast-check prints the
  // seed and the shrunk case of a failure; replay it with { seed, path } in the options.
  it("gives exactly what reading it whole gives: domains, problems, lines and columns", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat({ max: 119 }), fc.nat({ max: faults.length - 1 })), { maxLength: 4 }),
        fc.boolean(),
        (n, domainsPerPart, faulty, ownersAfter) => {
          const lines = [];
          for (let i = 0; i < n; i++) {
            const f = faulty.find(([at]) => at === i);
            lines.push(f ? faults[f[1]]!(i) : good(i));
          }
          const owners =
            'owners:\n  acme: {firstname: A, lastname: B, address1: G 1, city: C, postcode: "111 22", country: SE, phone: "+46.1", email: a@b.se}';
          const text = ownersAfter
            ? `version: 1\ndomains:\n${lines.join("\n")}\n${owners}\n`
            : `version: 1\n${owners}\ndomains:\n${lines.join("\n")}\n`;
          expect(splitDomains(text, 0, domainsPerPart)).toBeDefined();
          expect(read(text, { minSplitBytes: 0, domainsPerPart })).toEqual(
            read(text, { minSplitBytes: Number.MAX_SAFE_INTEGER }),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
  it("names the file's own line for a syntax error inside a part", () => {
    const lines = Array.from({ length: 120 }, (_, i) => good(i));
    lines[90] = '  bad.se:\n    dns:\n      - {host: "@", type: A, address: "192.0.2.1"';
    const text = `version: 1\ndomains:\n${lines.join("\n")}\n`;
    const errors = read(text, { minSplitBytes: 0, domainsPerPart: 20 }).errors;
    // Domain 90 starts on line 3 + 90 * 6; the parser notices the open flow map at the next key.
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^${3 + 90 * 6 + 3}:3 Flow map`))]);
    expect(errors).toEqual(read(text, { minSplitBytes: Number.MAX_SAFE_INTEGER }).errors);
    // And at the real part size, in a file of several parts.
    const big = Array.from({ length: 450 }, (_, i) => good(i));
    big[300] = lines[90]!;
    const bigText = `version: 1\ndomains:\n${big.join("\n")}\n`;
    expect(read(bigText, { minSplitBytes: 0 }).errors).toEqual([
      expect.stringMatching(new RegExp(`^${3 + 300 * 6 + 3}:3 Flow map`)),
    ]);
  });
  it("falls back to the whole document for shapes it does not split (flow style, aliases)", () => {
    expect(splitDomains('{"version": 1, "domains": {}}', 0)).toBeUndefined();
    expect(splitDomains("version: 1\ndomains:\n  a.se: &x\n    lock: true\n  b.se: *x\n", 0)).toBeUndefined();
  });
  it("refuses nesting a thousand levels deep with a clear message, not a stack overflow", () => {
    const p = new Problems();
    readYamlManifest(`version: 1\ndomains: ${"[".repeat(1000)}${"]".repeat(1000)}\n`, "deep.yaml", p, emptyManifest());
    expect(p.errors[0]?.message).toMatch(/nested more than 64 levels deep/);
    expect(p.errors[0]?.line).toBe(2);
  });
});
