/**
 * Output that scales: the same note for many files (or domains) is said once with a count, and
 * `--verbose` lists every one. Through the built CLIs, against the sandbox.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, exporter, sandbox, tempDir } from "./env.js";

const APEX = /SOA and apex NS records skipped/g;
const KEPT = /URL\/FRAME\/MXE records kept as/g;

describe("notes at portfolio scale", () => {
  it("an exported folder of zones: one line per note with a count, every one with --verbose", async () => {
    const sb = await sandbox({ seed: 12 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const out = join(dir, "zones");
      const e = await exporter(sb, [...names, "--out", out, "--format", "bind", "--rate", "1000"]);
      expect(e.code, e.stderr).toBe(0);
      const zones = readdirSync(out).filter((f) => f.endsWith(".zone")).length;
      expect(zones).toBeGreaterThan(3);
      const commented = names.filter((n) =>
        sb.state.get(n)!.dns.some((r) => ["URL", "FRAME", "MXE"].includes(r.type)),
      ).length;
      expect(commented).toBeGreaterThan(1);
      expect(e.stderr.match(KEPT)).toHaveLength(1);
      expect(e.stderr).toContain(`(in ${commented} domains: `);
      const ev = await exporter(sb, [...names, "--out", join(dir, "z2"), "--format", "bind", "--rate", "1000", "-v"]);
      expect(ev.stderr.match(KEPT)).toHaveLength(commented);

      const v = await bulk(undefined, ["validate", out]);
      expect(v.code, v.stderr).toBe(0);
      expect(v.stderr.match(APEX)).toHaveLength(1);
      expect(v.stderr).toMatch(new RegExp(`\\(in ${zones} files: .*, …; --verbose lists them all\\)`));
      const all = await bulk(undefined, ["validate", out, "--verbose"]);
      expect(all.stderr.match(APEX)).toHaveLength(zones);
    } finally {
      await sb.close();
    }
  });

  it("--with-epp --format bind is refused (exit 2, nothing sent): zone files hold no EPP codes", async () => {
    const sb = await sandbox({ seed: 2 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const r = await exporter(sb, [...names, "--out", join(dir, "z"), "--format", "bind", "--with-epp"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--with-epp cannot go with --format bind/);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});
