/**
 * Key tags and DS digests, differentially against BIND's dnssec-dsfromkey on keys made by
 * dnssec-keygen (several algorithms, KSK and ZSK, owner names in mixed case). Without
 * bind9-utils these skip, unless REQUIRE_BIND=1 (CI).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Dnskey, dsDigest, keyTag, nameWire } from "./dsDigest.js";

const bindAvailable = spawnSync("dnssec-dsfromkey", ["-h"]).error === undefined;
const bindRequired = process.env.REQUIRE_BIND === "1";
const withBind = bindAvailable || bindRequired ? it : it.skip;

/** The DNSKEY of a BIND `.key` file: `owner IN DNSKEY flags 3 alg base64…`. */
function readKeyFile(text: string): { owner: string; key: Dnskey } {
  const line = text.split("\n").find((l) => /\sDNSKEY\s/.test(l) && !l.startsWith(";"));
  if (!line) throw new Error("no DNSKEY line");
  const [owner, , , flags, protocol, algorithm, ...key] = line.trim().split(/\s+/);
  return {
    owner: owner!,
    key: {
      flags: Number(flags),
      protocol: Number(protocol),
      algorithm: Number(algorithm),
      key: Buffer.from(key.join(""), "base64"),
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "regdom-ds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("DS digests", () => {
  it("writes names in canonical wire form", () => {
    expect(nameWire("Ex.Test.")).toEqual(Buffer.from([2, 0x65, 0x78, 4, 0x74, 0x65, 0x73, 0x74, 0]));
    expect(nameWire("ex.test")).toEqual(nameWire("EX.TEST."));
  });

  withBind("key tags and SHA-1, SHA-256, SHA-384 digests agree with dnssec-dsfromkey", () => {
    const cases: [string, string, boolean][] = [
      ["ECDSAP256SHA256", "Ex.Test", true],
      ["ECDSAP384SHA384", "xn--rksmrgs-5wao1o.se", true],
      ["ED25519", "a.b.example", false],
      ["RSASHA256", "signed.test", true],
      ["RSASHA256", "zsk.Signed.Test", false],
    ];
    let compared = 0;
    for (const [alg, zone, ksk] of cases) {
      const base = execFileSync(
        "dnssec-keygen",
        [
          "-q",
          "-K",
          dir,
          "-a",
          alg,
          ...(alg.startsWith("RSA") ? ["-b", "1024"] : []),
          ...(ksk ? ["-f", "KSK"] : []),
          "-n",
          "ZONE",
          zone,
        ],
        { encoding: "utf8" },
      ).trim();
      const file = join(dir, `${base}.key`);
      const { owner, key } = readKeyFile(readFileSync(file, "utf8"));
      for (const [flag, type] of [
        ["-1", 1],
        ["-2", 2],
        ["-a SHA-384", 4],
      ] as const) {
        const out = execFileSync("dnssec-dsfromkey", [...flag.split(" "), file], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }).trim();
        const [, , , tag, algorithm, digestType, ...hex] = out.split(/\s+/);
        expect(Number(digestType)).toBe(type);
        expect(keyTag(key), `${alg} ${zone}`).toBe(Number(tag));
        expect(key.algorithm).toBe(Number(algorithm));
        expect(dsDigest(owner, key, type)!.toString("hex").toUpperCase(), `${alg} ${zone} ${type}`).toBe(hex.join(""));
        compared++;
      }
    }
    expect(compared).toBe(15);
  });

  it("has no digest for a digest type it does not know", () => {
    expect(dsDigest("x.test", { flags: 257, algorithm: 13, key: new Uint8Array(64) }, 3)).toBeUndefined();
  });
});
