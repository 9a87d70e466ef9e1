/**
 * The DNSSEC guard against real DNS: a parent `se.` zone with DS records, child zones signed by
 * dnssec-signzone, each nameserver a `named` on its own loopback address and port 53. Plan shows
 * each verdict; apply refuses `would break` (and unknown) with exit 3 and nothing sent, unless
 * --allow-dnssec-break.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "@regdom/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulk, exporter, sandbox, tempDir, writesIn } from "./env.js";
import { childZone, dsOf, keygen, loopbackAddress, type Named, parentZone, startNamed, withNamed } from "./named.js";

const OLD = ["ns1.old.se", "ns2.old.se"];

/** A sandbox holding these domains (cloned from a seeded one) on the old nameservers. */
async function sandboxWith(names: string[]): Promise<Sandbox> {
  const sb = await sandbox({ seed: 1 });
  const model = [...sb.state.domains.values()][0]!;
  for (const name of names) sb.state.domains.set(name, { ...structuredClone(model), name, nameservers: [...OLD] });
  return sb;
}

function manifest(dir: string, moves: Record<string, string[]>, name = "m.yaml"): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `version: 1\ndomains:\n${Object.entries(moves)
      .map(([d, ns]) => `  ${d}:\n    nameservers: [${ns.join(", ")}]\n`)
      .join("")}`,
  );
  return file;
}

describe("the DNSSEC guard without an answering resolver", () => {
  it("a resolver that does not answer makes the verdict unknown: apply refuses it (exit 3), nothing sent", async () => {
    const sb = await sandboxWith(["x-unknown.se"]);
    try {
      const file = manifest(await tempDir(), { "x-unknown.se": ["ns1.new.se"] });
      // Port 1 of loopback: nobody listens, every attempt is refused at once.
      const plan = await bulk(sb, ["plan", file, "--resolver", "127.0.0.1:1", "--format", "json"]);
      expect(plan.code).toBe(0);
      const d = JSON.parse(plan.stdout).domains[0];
      expect(d.dnssec.verdict).toBe("unknown");
      expect(d.dnssec.reason).toMatch(/DS records could not be read/);
      const r = await bulk(sb, ["apply", file, "--yes", "--resolver", "127.0.0.1:1"]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/x-unknown\.se: the nameserver change dnssec: unknown, not safe .*--allow-dnssec-break/);
      expect(writesIn(sb)).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});

describe.skipIf(!withNamed)("the DNSSEC guard against named", () => {
  const servers: Named[] = [];
  const cleanups: (() => void)[] = [];
  let dir = "";

  beforeAll(async () => {
    dir = await tempDir();
    for (const a of ["127.0.0.2", "127.0.0.3", "127.0.0.4"]) cleanups.push(loopbackAddress(a));
    const kSafe = keygen(dir, "safe.se");
    const kBrk = keygen(dir, "brk.se");
    const kOther = keygen(dir, "brk.se"); // the key the new provider signs with: no DS names it
    const kDead = keygen(dir, "dead.se");
    // Big RSA keys beside safe.se's at host-b: a DNSKEY answer over 1232 bytes comes truncated over
    // UDP, so "safe" there needs the TCP retry.
    const big = [1, 2, 3, 4].map(() => keygen(dir, "safe.se", ["-a", "RSASHA256", "-b", "2048"]));
    const parent = parentZone(dir, "se", [
      "ns1.host-a IN A 127.0.0.3",
      "ns1.host-b IN A 127.0.0.4",
      "ns1.gone IN A 127.0.0.5", // no server there: a dead nameserver
      ...["safe", "brk", "plain", "dead"].map((d) => `${d} IN NS ns1.host-a.se.`),
      dsOf(dir, kSafe),
      dsOf(dir, kBrk),
      dsOf(dir, kDead),
    ]);
    const a = "ns1.host-a.se.";
    const b = "ns1.host-b.se.";
    servers.push(await startNamed(dir, "127.0.0.2", { se: parent }));
    servers.push(
      await startNamed(dir, "127.0.0.3", {
        "safe.se": childZone(dir, "safe.se", a, kSafe),
        "brk.se": childZone(dir, "brk.se", a, kBrk),
        "plain.se": childZone(dir, "plain.se", a),
        "dead.se": childZone(dir, "dead.se", a, kDead),
      }),
    );
    servers.push(
      await startNamed(dir, "127.0.0.4", {
        "safe.se": childZone(dir, "safe.se", b, kSafe, big),
        "brk.se": childZone(dir, "brk.se", b, kOther),
        "plain.se": childZone(dir, "plain.se", b),
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    for (const c of cleanups) c();
  });

  const MOVES = {
    "safe.se": ["ns1.host-a.se", "ns1.host-b.se"],
    "brk.se": ["ns1.host-b.se"],
    "plain.se": ["ns1.host-b.se"],
    "dead.se": ["ns1.host-a.se", "ns1.gone.se"],
  };

  it("plan shows safe, would break (another key, a dead server) and unsigned; apply refuses the breaks", async () => {
    const sb = await sandboxWith(Object.keys(MOVES));
    try {
      const file = manifest(dir, MOVES);
      const plan = await bulk(sb, ["plan", file, "--resolver", "127.0.0.2", "--format", "json"]);
      expect(plan.code, plan.stderr).toBe(0);
      const verdicts = Object.fromEntries(
        JSON.parse(plan.stdout).domains.map((d: { name: string; dnssec: { verdict: string } }) => [d.name, d.dnssec]),
      );
      expect(verdicts["safe.se"].verdict).toBe("safe");
      expect(verdicts["safe.se"].servers.map((s: { matching: number[] }) => s.matching.length)).toEqual([1, 1]);
      expect(verdicts["plain.se"].verdict).toBe("unsigned");
      expect(verdicts["brk.se"].verdict).toBe("would break");
      expect(verdicts["brk.se"].reason).toMatch(/ns1\.host-b\.se: it serves no DNSKEY matching a DS/);
      expect(verdicts["dead.se"].verdict).toBe("would break");
      expect(verdicts["dead.se"].reason).toMatch(/ns1\.gone\.se: it does not answer/);
      expect(verdicts["dead.se"].servers[0].matching).toHaveLength(1); // host-a still serves the key

      const text = await bulk(sb, ["plan", file, "--resolver", "127.0.0.2"]);
      expect(text.stdout).toMatch(/! dnssec: would break \(DS \d+\/13\/2; ns1\.host-b\.se: it serves no DNSKEY/);
      expect(text.stdout).toMatch(/ {2}dnssec: safe/);
      expect(text.stdout).toMatch(/ {2}dnssec: unsigned/);

      const refused = await bulk(sb, ["apply", file, "--yes", "--resolver", "127.0.0.2"]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/brk\.se: the nameserver change dnssec: would break/);
      expect(refused.stderr).toMatch(/dead\.se: the nameserver change dnssec: would break/);
      expect(refused.stderr).not.toMatch(/safe\.se: the nameserver change/);
      expect(writesIn(sb)).toHaveLength(0);

      const safeOnly = manifest(dir, { "safe.se": MOVES["safe.se"], "plain.se": MOVES["plain.se"] }, "safe.yaml");
      const ok = await bulk(sb, ["apply", safeOnly, "--yes", "--resolver", "127.0.0.2"]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(sb.state.get("safe.se")!.nameservers).toEqual(MOVES["safe.se"]);

      const forced = await bulk(sb, ["apply", file, "--yes", "--resolver", "127.0.0.2", "--allow-dnssec-break"]);
      expect(forced.code, forced.stderr).toBe(0);
      expect(sb.state.get("brk.se")!.nameservers).toEqual(MOVES["brk.se"]);

      // doctor DOMAIN: the DS state against the nameservers the domain has now.
      const broken = await bulk(sb, ["doctor", "brk.se", "--resolver", "127.0.0.2"]);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/fail +DNSSEC +broken today: DS \d+\/13\/2; ns1\.host-b\.se: it serves no DNSKEY/);
      const fine = await bulk(sb, ["doctor", "safe.se", "--resolver", "127.0.0.2"]);
      expect(fine.code, fine.stdout).toBe(0);
      expect(fine.stdout).toMatch(/ok +DNSSEC +signed: DS \d+\/13\/2; every nameserver serves a matching DNSKEY/);

      // regdom-export --with-dnssec: each domain's state in the export and the report, read back as is.
      const out = join(dir, "export.yaml");
      const report = join(dir, "report.html");
      const ex = await exporter(sb, [
        "safe.se",
        "brk.se",
        "plain.se",
        "--with-dnssec",
        "--resolver",
        "127.0.0.2",
        "--out",
        out,
        "--report",
        report,
      ]);
      expect(ex.code, ex.stderr).toBe(0);
      const yaml = readFileSync(out, "utf8");
      expect(yaml).toMatch(/safe\.se:[\s\S]*?dnssec: signed DS \d+\/13\/2\n/);
      expect(yaml).toMatch(
        /brk\.se:[\s\S]*?dnssec: "?broken DS \d+\/13\/2: ns1\.host-b\.se: it serves no DNSKEY matching a DS/,
      );
      expect(yaml).toMatch(/plain\.se:[\s\S]*?dnssec: unsigned\n/);
      const html = readFileSync(report, "utf8");
      expect(html).toContain('<span id="signed-count">2</span> of 3 domain(s) signed');
      expect(html).toContain('<span id="broken-count">1</span> broken today');
      expect(html).toMatch(/<table id="dnssec-broken">.*brk\.se/);
      const again = await bulk(sb, ["plan", out]);
      expect(again.stdout).toContain("No changes.");
      const csv = join(dir, "csv");
      const exCsv = await exporter(sb, [
        "plain.se",
        "--with-dnssec",
        "--resolver",
        "127.0.0.2",
        "--format",
        "csv",
        "--out",
        csv,
      ]);
      expect(exCsv.code, exCsv.stderr).toBe(0);
      expect(readFileSync(join(csv, "domains.csv"), "utf8")).toMatch(
        /^domain,.*,dnssec\r?\nplain\.se,.*,unsigned\r?\n/,
      );
      expect((await bulk(sb, ["plan", csv])).stdout).toContain("No changes.");
    } finally {
      await sb.close();
    }
  });
});
