/**
 * `idprotection` on domains already held (IDProtectToggle, beyond the reference): write-only like
 * autorenew. Asserted on every apply and never drift, read from YAML, CSV and XLSX, journaled,
 * listed by rollback as not restorable (no getter), and left out of an export (it cannot be read).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk as bulkAny, exporter, sandbox, tempDir } from "./env.js";

/** The modules dialect names the login e-mail `email`. */
const env = { REGDOM_AUTH_FIELD: "email" };
const bulk: typeof bulkAny = (sb, args, opts = {}) => bulkAny(sb, args, { ...opts, env: { ...env, ...opts.env } });

describe("idprotection: a write-only section of domains already held", () => {
  it("asserted on apply (never drift), journaled, not restorable by rollback, left out of export", async () => {
    const sb = await sandbox({ seed: 2, dialect: "modules" });
    try {
      const dir = await tempDir();
      const [a, b] = [...sb.state.domains.keys()] as [string, string];
      const yaml = join(dir, "m.yaml");
      writeFileSync(yaml, `version: 1\ndomains:\n  ${a}:\n    idprotection: true\n`);
      const csv = join(dir, "domains.csv");
      writeFileSync(csv, `domain,idprotection\n${b},no\n`);

      const plan = await bulk(sb, ["plan", yaml, csv, "--detailed-exitcode"]);
      expect(plan.code, plan.stderr).toBe(0);
      // Nothing drifts: the text plan says no changes; the JSON plan holds the assertions.
      expect(plan.stdout).toBe("No changes.\n");
      const json = JSON.parse((await bulk(sb, ["plan", yaml, csv, "--format", "json"])).stdout) as {
        domains: { name: string; changes: unknown[] }[];
      };
      expect(json.domains.map((d) => [d.name, d.changes])).toEqual(
        expect.arrayContaining([
          [a, [{ section: "idprotection", after: true, asserted: true }]],
          [b, [{ section: "idprotection", after: false, asserted: true }]],
        ]),
      );

      const runDir = join(dir, "run");
      const apply = await bulk(sb, ["apply", yaml, csv, "--yes", "--run-dir", runDir]);
      expect(apply.code, apply.stderr).toBe(0);
      expect(sb.state.get(a)!.idprotection).toBe(true);
      expect(sb.state.get(b)!.idprotection).toBe(false);
      const toggles = sb.requests.filter((r) => r.action === "idprotecttoggle");
      expect(toggles.map((r) => [r.domain, r.params?.protectenable])).toEqual(
        expect.arrayContaining([
          [a, "1"],
          [b, "0"],
        ]),
      );
      const journal = readFileSync(join(runDir, "journal.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { domain: string; section: string; action: string; phase: string });
      expect(journal.filter((e) => e.section === "idprotection").map((e) => [e.domain, e.action, e.phase])).toEqual(
        expect.arrayContaining([
          [a, "IDProtectToggle", "intent"],
          [a, "IDProtectToggle", "ok"],
        ]),
      );

      const rollback = await bulk(sb, ["rollback", runDir, "--yes"]);
      expect(rollback.stdout).toContain(
        `${a} idprotection: idprotection has no getter, so its earlier value is unknown`,
      );
      expect(sb.state.get(a)!.idprotection).toBe(true);

      const out = join(dir, "export.yaml");
      const exp = await exporter(sb, [a, "--out", out], { env });
      expect(exp.code, exp.stderr).toBe(0);
      expect(readFileSync(out, "utf8")).not.toContain("idprotection");
    } finally {
      await sb.close();
    }
  });

  it("against the reference dialect the toggle is the registrar's unknown action: the domain fails, nothing else does", async () => {
    const sb = await sandbox({ seed: 2 });
    try {
      const dir = await tempDir();
      const [a] = [...sb.state.domains.keys()] as [string];
      const yaml = join(dir, "m.yaml");
      writeFileSync(yaml, `version: 1\ndomains:\n  ${a}:\n    idprotection: true\n    lock: true\n`);
      const r = await bulkAny(sb, ["apply", yaml, "--yes", "--run-dir", join(dir, "run")]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/failed: .* idprotection: /);
      expect(sb.state.get(a)!.locked).toBe(true);
    } finally {
      await sb.close();
    }
  });
});
