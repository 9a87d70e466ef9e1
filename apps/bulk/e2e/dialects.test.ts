/**
 * The whole flow holds against both dialects of the same product: the reference (lockstatus,
 * authemail, no actions beyond the reference) and the modules (lockenabled only, the login as
 * `email`, "Unknown" and "empty" answers, CreditAmount/GetPricing offered): plan, apply,
 * rollback, export, and a plan of the export that shows no changes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, exporter, sandbox, tempDir } from "./env.js";

const OWNERS = `owners:
  acme: {firstname: Anna, lastname: Berg, address1: Storgatan 1, city: Umeå, postcode: "903 25", country: SE, phone: "+46.701234567", email: anna@acme.se}
`;

describe.each([
  { dialect: "reference" as const, authField: "authemail" },
  { dialect: "modules" as const, authField: "email" },
])("the $dialect dialect", ({ dialect, authField }) => {
  it("plan, apply (a lock change that takes), rollback and export", async () => {
    const sb = await sandbox({ seed: 2, dialect });
    const env = { REGDOM_AUTH_FIELD: authField };
    try {
      const dir = await tempDir();
      const [a, b] = [...sb.state.domains.keys()];
      const da = sb.state.get(a!)!;
      da.locked = false;
      sb.state.domains.set("utan-las.eu", { ...structuredClone(da), name: "utan-las.eu", locked: false });
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\n${OWNERS}domains:\n  ${a}:\n    lock: true\n    nameservers: [ns1.ny.se, ns2.ny.se]\n  ${b}:\n    dns: [{host: "@", type: A, address: 192.0.2.7}]\n  utan-las.eu:\n    lock: true\n  ny-dialekt.se:\n    register: {years: 1, owner: acme}\n`,
      );
      const plan = await bulk(sb, ["plan", m], { env });
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain("~ lock: false -> true");
      if (dialect === "modules") {
        expect(plan.stdout).toContain("utan-las.eu\n    note: warning: the registrar offers no lock for this domain");
        expect(plan.stdout).toMatch(/\[money: 99\.00\]/);
      } else {
        expect(plan.stdout).toContain("[money: price unknown]");
      }
      const runDir = join(dir, "run");
      const apply = await bulk(
        sb,
        ["apply", m, "--yes", "--allow-purchases", "--max-delete-pct", "100", "--run-dir", runDir],
        { env },
      );
      expect(apply.code, apply.stdout + apply.stderr).toBe(0);
      expect(da.locked).toBe(true);
      expect(sb.state.get("ny-dialekt.se")).toBeDefined();
      // The modules dialect offers no lock for .eu: nothing is sent for it.
      const euLocks = sb.requests.filter((r) => r.action === "domainupdatelockingstatus" && r.domain === "utan-las.eu");
      expect(euLocks).toHaveLength(dialect === "modules" ? 0 : 1);
      const again = await bulk(sb, ["plan", m, "--detailed-exitcode"], { env });
      expect(again.code, again.stdout).toBe(0);
      const rollback = await bulk(sb, ["rollback", runDir, "--yes"], { env });
      expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
      expect(da.locked).toBe(false);
      const out = join(dir, "export.yaml");
      const exp = await exporter(sb, [a!, "utan-las.eu", "--out", out], { env });
      expect(exp.code, exp.stderr).toBe(0);
      const yaml = readFileSync(out, "utf8");
      expect(yaml).toMatch(/lock: false/);
      const eu = join(dir, "eu.yaml");
      expect((await exporter(sb, ["utan-las.eu", "--out", eu, "--sections", "lock,nameservers"], { env })).code).toBe(
        0,
      );
      if (dialect === "modules") expect(readFileSync(eu, "utf8")).not.toMatch(/lock:/);
      else expect(readFileSync(eu, "utf8")).toMatch(/lock: false/);
      const replan = await bulk(sb, ["plan", out, "--detailed-exitcode"], { env });
      expect(replan.code, replan.stdout).toBe(0);
      expect(replan.stdout).toContain("No changes.");
    } finally {
      await sb.close();
    }
  });
});
