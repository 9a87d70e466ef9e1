/**
 * Transfer auth codes are shown by no plan output (issue 31): text, markdown, HTML and JSON alike.
 * The sealed file of `plan --out` (0600) keeps them, so `apply --plan` transfers; a JSON plan
 * printed with its codes hidden is refused by `apply --plan` with a clear word, nothing sent.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir, writesIn } from "./env.js";

const CODE = "gd23h2-SECRET-31s21";
const OWNERS = `owners:
  acme: {firstname: Anna, lastname: Berg, address1: Storgatan 1, city: Umeå, postcode: "903 25", country: SE, phone: "+46.701234567", email: anna@acme.se}
`;

describe("transfer auth codes in plans", () => {
  it("no format prints them; the --out file keeps them and apply --plan transfers with them", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const dir = await tempDir();
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\n${OWNERS}domains:\n  flytt-hit.se:\n    transfer: {years: 1, owner: acme, authcode: ${CODE}}\n`,
      );
      const planFile = join(dir, "plan.json");
      const outputs = await Promise.all([
        bulk(sb, ["plan", m]),
        bulk(sb, ["plan", m, "--format", "markdown"]),
        bulk(sb, ["plan", m, "--format", "html"]),
        bulk(sb, ["plan", m, "--format", "json", "--out", planFile]),
        bulk(sb, ["plan", m, "--json"]),
      ]);
      for (const o of outputs) {
        expect(o.code, o.stderr).toBe(0);
        expect(o.stdout + o.stderr).not.toContain(CODE);
      }
      const json = JSON.parse(outputs[3]!.stdout);
      expect(json.domains[0].changes[0].authcode).toBe("<hidden>");
      expect(json.domains[0].desired.transfer.authcode).toBe("<hidden>");
      expect(readFileSync(planFile, "utf8")).toContain(CODE);
      expect(statSync(planFile).mode & 0o777).toBe(0o600);

      // The printed JSON is no plan to apply: refused, nothing sent.
      const printed = join(dir, "printed.json");
      writeFileSync(printed, outputs[3]!.stdout);
      const refused = await bulk(sb, ["apply", "--plan", printed, "--yes", "--allow-purchases"]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/auth codes hidden.*plan --out/);
      expect(writesIn(sb)).toHaveLength(0);

      const r = await bulk(sb, [
        "apply",
        "--plan",
        planFile,
        "--yes",
        "--allow-purchases",
        "--run-dir",
        join(dir, "run"),
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(CODE);
      const sent = sb.requests.find((q) => q.action === "transferdomain");
      expect(sent?.params?.transfersecret).toBe(CODE);
    } finally {
      await sb.close();
    }
  });
});
