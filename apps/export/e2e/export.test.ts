import { type ChildProcess, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { seededDomainNames } from "@regdom/sandbox";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bulk, exporter, sandbox, tempDir } from "./env.js";

/** Kills the child once the atomic writer has paused before its rename (the test hook wrote the marker). */
function killWhenPaused(child: ChildProcess, marker: string): void {
  const timer = setInterval(() => {
    if (existsSync(marker) && readFileSync(marker, "utf8")) {
      clearInterval(timer);
      child.kill("SIGKILL");
    }
  }, 5);
  child.on("exit", () => clearInterval(timer));
}

const FORMATS: [string, string[]][] = [
  ["yaml", ["--format", "yaml"]],
  ["split", ["--format", "yaml", "--split"]],
  ["csv", ["--format", "csv"]],
  ["excel", ["--format", "csv", "--excel"]],
  ["json", ["--format", "json"]],
  // BIND zone files: the dns section of each domain (URL, FRAME, MXE kept as regdom comments).
  ["bind", ["--format", "bind"]],
  // One workbook, a sheet per kind.
  ["xlsx", ["--format", "xlsx"]],
];

const bindAvailable = spawnSync("named-checkzone", ["-v"]).status === 0;
const bindRequired = process.env.REQUIRE_BIND === "1";

/**
 * Live shapes a registrar holds though the manifest's rules refuse them: a CNAME beside other
 * records at one host, an empty TXT, a host `-cmd`, a forwarding `=1+1`, a TXT `'=5+5` (a
 * spreadsheet's escape in the value itself). A backup must restore them: each format exports
 * them with a warning, and the export reads back to No changes.
 */
function withLiveShapes(sb: { state: { domains: Map<string, SandboxDomainLike> } }, seed: number) {
  const domains = [...sb.state.domains.values()];
  const pick = (i: number) => domains[(seed * 31 + i * 17) % domains.length]!;
  const [a, b, c] = [pick(0), pick(1), pick(2)];
  a.dns.push(
    { hostname: "w", type: "A", address: "192.0.2.7", priority: null },
    { hostname: "w", type: "CNAME", address: a.name, priority: null },
  );
  b.dns.push(
    { hostname: "e", type: "TXT", address: "", priority: null },
    { hostname: "-cmd", type: "A", address: "192.0.2.8", priority: null },
    { hostname: "t", type: "TXT", address: "'=5+5", priority: null },
  );
  c.forwarding.push({ prefix: "=1+1", forwardto: "ops@example.se" });
  return {
    warnings: ['CNAME at "w" stands beside', "TXT record text is empty", 'host "-cmd" breaks', 'prefix "=1+1"'],
  };
}
interface SandboxDomainLike {
  name: string;
  dns: { hostname: string; type: string; address: string; priority: string | null }[];
  forwarding: { prefix: string; forwardto: string }[];
}

describe("export then plan prints No changes.", () => {
  // One test per format, each over its own seeded portfolios: a format's runs fit its own timeout
  // on a loaded machine, and a failure names the format.
  it.each(FORMATS)("as %s, over seeded portfolios (IDNs, every record type, åäö contacts)", async (label, flags) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), async (seed) => {
        const sb = await sandbox({ seed: 120, randomSeed: seed });
        try {
          const dir = await tempDir();
          const names = seededDomainNames(120, seed);
          const shaped = withLiveShapes(sb, seed);
          const list = join(dir, "domains.txt");
          writeFileSync(list, names.join("\n"));
          const out = join(
            dir,
            label === "yaml" ? "p.yaml" : label === "json" ? "p.json" : label === "xlsx" ? "p.xlsx" : label,
          );
          const e = await exporter(sb, [
            "--domains",
            list,
            "--out",
            out,
            ...flags,
            "--with-status",
            "--rate",
            "2000",
            "--concurrency",
            "16",
          ]);
          expect(e.code, e.stderr).toBe(0);
          // What breaks a rule is said on stderr, and exported all the same.
          for (const w of shaped.warnings) expect(e.stderr, label).toContain(w);
          if (label === "bind" && (bindAvailable || bindRequired))
            for (const f of readdirSync(out)) {
              // Other servers accept every file: BIND's own checker passes it.
              const check = spawnSync("named-checkzone", [f.replace(/\.zone$/, ""), join(out, f)], {
                encoding: "utf8",
              });
              expect(check.status, `${f}: ${check.stdout}${check.stderr}`).toBe(0);
            }
          const p = await bulk(sb, ["plan", out, "--rate", "2000", "--concurrency", "16"]);
          expect(p.stdout, `${label}: ${p.stderr}`).toBe("No changes.\n");
        } finally {
          await sb.close();
        }
      }),
      { numRuns: 2 },
    );
  });
});

describe("regdom-export", () => {
  it("makes exactly domains × sections calls and byte-identical repeat exports", async () => {
    const sb = await sandbox({ seed: 40 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const a = await exporter(sb, [...names, "--out", join(dir, "a.yaml"), "--rate", "1000"]);
      expect(a.code).toBe(0);
      expect(sb.requests).toHaveLength(40 * 5);
      expect(sb.requests.some((r) => r.action === "geteppcode")).toBe(false);
      await exporter(sb, [...names, "--out", join(dir, "b.yaml"), "--rate", "1000"]);
      expect(readFileSync(join(dir, "a.yaml"))).toEqual(readFileSync(join(dir, "b.yaml")));
      await exporter(sb, [...names, "--out", join(dir, "c1"), "--format", "csv", "--rate", "1000"]);
      await exporter(sb, [...names, "--out", join(dir, "c2"), "--format", "csv", "--rate", "1000"]);
      for (const f of readdirSync(join(dir, "c1")))
        expect(readFileSync(join(dir, "c1", f))).toEqual(readFileSync(join(dir, "c2", f)));
    } finally {
      await sb.close();
    }
  });
  it("--sections reads only what it names", async () => {
    const sb = await sandbox({ seed: 5 });
    try {
      const dir = await tempDir();
      const r = await exporter(sb, [
        ...sb.state.domains.keys(),
        "--out",
        join(dir, "x.yaml"),
        "--sections",
        "dns,lock",
        "--rate",
        "1000",
      ]);
      expect(r.code).toBe(0);
      expect(new Set(sb.requests.map((x) => x.action))).toEqual(new Set(["getdns", "domaingetlockingstatus"]));
    } finally {
      await sb.close();
    }
  });
  it("--with-epp writes EPP codes in mode 0600 files with a warning; CSV formulas are neutralized", async () => {
    const sb = await sandbox({ seed: 5 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      sb.state.get(names[0]!)!.registrant.Name = "=CMD()";
      const r = await exporter(sb, [...names, "--out", join(dir, "e.yaml"), "--with-epp", "--rate", "1000"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/EPP codes; its files are readable only by you/);
      expect(statSync(join(dir, "e.yaml")).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, "e.yaml"), "utf8")).toContain(`eppcode: ${sb.state.get(names[0]!)!.eppcode}`);
      // A workbook with EPP codes: mode 0600, the codes in the domains sheet, and it plans back clean.
      const x = await exporter(sb, [
        ...names,
        "--out",
        join(dir, "e.xlsx"),
        "--format",
        "xlsx",
        "--with-epp",
        "--rate",
        "1000",
      ]);
      expect(x.code, x.stderr).toBe(0);
      expect(statSync(join(dir, "e.xlsx")).mode & 0o777).toBe(0o600);
      const { read: readWorkbook } = await import("@e965/xlsx");
      const wb = readWorkbook(readFileSync(join(dir, "e.xlsx")), { dense: true });
      expect(JSON.stringify(wb.Sheets.domains!["!data"])).toContain(sb.state.get(names[0]!)!.eppcode);
      expect((await bulk(sb, ["plan", join(dir, "e.xlsx"), "--rate", "1000"])).stdout).toBe("No changes.\n");
      const c = await exporter(sb, [...names, "--out", join(dir, "csv"), "--format", "csv", "--rate", "1000"]);
      expect(c.code).toBe(0);
      expect(statSync(join(dir, "csv", "registrant.csv")).mode & 0o777).toBe(0o644);
      expect(readFileSync(join(dir, "csv", "registrant.csv"), "utf8")).toContain("'=CMD()");
    } finally {
      await sb.close();
    }
  });
  it("a failing domain is reported, the others are written, exit 1", async () => {
    const sb = await sandbox({ seed: 4 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const r = await exporter(sb, [...names, "finns-inte.se", "--backup-dir", join(dir, "b"), "--rate", "1000"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error: finns-inte.se: .*not found/i);
      const meta = JSON.parse(readFileSync(join(dir, "b", "latest", "meta.json"), "utf8"));
      expect(meta.counts).toEqual({ domains: 5, exported: 4, failed: 1 });
      expect(meta.failed[0].domain).toBe("finns-inte.se");
      const text = readFileSync(join(dir, "b", "latest", "portfolio.yaml"), "utf8");
      for (const n of names) expect(text).toContain(n);
      expect(meta.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await sb.close();
    }
  });
  it("--backup-dir --keep N keeps the newest N, points latest at the newest", async () => {
    const sb = await sandbox({ seed: 3 });
    try {
      const dir = await tempDir();
      const b = join(dir, "backups");
      for (let i = 0; i < 4; i++) {
        const r = await exporter(sb, [
          ...sb.state.domains.keys(),
          "--backup-dir",
          b,
          "--keep",
          "2",
          "--format",
          "csv",
          "--rate",
          "1000",
        ]);
        expect(r.code).toBe(0);
      }
      const kept = readdirSync(b)
        .filter((n) => /^\d{4}-/.test(n))
        .sort();
      expect(kept).toHaveLength(2);
      expect(readlinkSync(join(b, "latest"))).toBe(kept[1]);
      for (const k of kept) expect(existsSync(join(b, k, "meta.json"))).toBe(true);
    } finally {
      await sb.close();
    }
  });
  it("a killed export leaves the previous good file in place (killed during the write, before the rename)", async () => {
    const sb = await sandbox({ seed: 30 });
    try {
      const dir = await tempDir();
      const out = join(dir, "p.yaml");
      const marker = join(dir, "paused");
      writeFileSync(out, "version: 1\ndomains: {}\n");
      const r = await exporter(sb, [...sb.state.domains.keys(), "--out", out, "--rate", "1000"], {
        env: { REGDOM_TEST_PAUSE_BEFORE_RENAME: marker },
        onSpawn: (child) => killWhenPaused(child, marker),
      });
      expect(r.signal).toBe("SIGKILL");
      // The kill landed while the new file was written in full but not yet renamed into place.
      const tmp = readFileSync(marker, "utf8");
      expect(readFileSync(tmp, "utf8")).toContain(sb.state.domains.keys().next().value!.slice(0, 5));
      expect(readFileSync(out, "utf8")).toBe("version: 1\ndomains: {}\n");
    } finally {
      await sb.close();
    }
  });
  it("a killed backup leaves only a .partial folder, never a complete-looking one without meta.json", async () => {
    const sb = await sandbox({ seed: 30 });
    try {
      const dir = await tempDir();
      const b = join(dir, "b");
      const marker = join(dir, "paused");
      const r = await exporter(sb, [...sb.state.domains.keys(), "--backup-dir", b, "--rate", "1000"], {
        env: { REGDOM_TEST_PAUSE_BEFORE_RENAME: marker },
        onSpawn: (child) => killWhenPaused(child, marker),
      });
      expect(r.signal).toBe("SIGKILL");
      const folders = readdirSync(b);
      expect(folders).toHaveLength(1);
      expect(folders[0]).toMatch(/\.partial$/);
      expect(existsSync(join(b, "latest"))).toBe(false);
    } finally {
      await sb.close();
    }
  });
  it("needs domains and refuses bad flags with exit 2, sending nothing", async () => {
    const sb = await sandbox({ seed: 2 });
    try {
      expect((await exporter(sb, ["--out", "x.yaml"])).code).toBe(2);
      expect((await exporter(sb, ["a.se", "--out", "x.yaml", "--format", "xml"])).code).toBe(2);
      expect((await exporter(sb, ["a.se", "--out", "x.yaml", "--sections", "dns,mx"])).code).toBe(2);
      expect((await exporter(sb, ["a.se", "--out", "x.yaml"], { env: { REGDOM_TOKEN: "" } })).code).toBe(2);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});
