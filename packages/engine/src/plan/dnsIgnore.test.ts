/** Records managed elsewhere (dns_ignore): never diffed, never counted, sent back unchanged. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadManifests } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../apply/applyPlan.js";
import { Journal, readJournal } from "../apply/journal.js";
import { rollbackRun } from "../apply/rollback.js";
import { checkSafety } from "../apply/safety.js";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { planPortfolio } from "./planPortfolio.js";
import { renderPlanText } from "./renderPlan.js";

async function manifestFrom(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "regdom-ignore-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return (await loadManifests(Object.keys(files).map((n) => join(dir, n)))).manifest;
}

describe("dns_ignore", () => {
  it("leaves ACME challenge records alone: no diff, no threshold count, sent back by SaveDNS", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 1 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      const acme = Array.from({ length: 12 }, (_, i) => ({
        hostname: `_acme-challenge.h${i}`,
        type: "TXT",
        address: `tok${i}`,
        priority: null,
      }));
      sandbox.state.get(name)!.dns = [{ hostname: "@", type: "A", address: "192.0.2.1", priority: null }, ...acme];
      // Top-level rule for every domain, in YAML; the zone itself from a zone file.
      const m = await manifestFrom({
        "m.yaml": `version: 1\ndns_ignore:\n  - {host: "_acme-challenge*", type: TXT}\ndomains: {}\n`,
        [`${name}.zone`]: `$ORIGIN ${name}.\n@ IN A 192.0.2.2\n`,
      });
      const plan = await planPortfolio(client, m);
      const text = renderPlanText(plan);
      expect(text).toContain("~ dns @ A 192.0.2.1 -> @ A 192.0.2.2");
      expect(text).not.toContain("_acme-challenge");
      expect(text).toContain("note: kept 12 live record(s) managed elsewhere (dns_ignore)");
      // 1 of 1 managed record changes: the 12 kept records are not counted (and a 100% update of
      // a one-record zone is under the 10-entry threshold).
      expect(() => checkSafety(plan, {})).not.toThrow();
      await applyPlan(client, plan, {
        mode: "fresh",
        journal: new Journal(join(mkdtempSync(join(tmpdir(), "j-")), "j.jsonl")),
      });
      const live = sandbox.state.get(name)!.dns;
      expect(live).toHaveLength(13);
      expect(live).toEqual(
        expect.arrayContaining([...acme, { hostname: "@", type: "A", address: "192.0.2.2", priority: null }]),
      );
      expect(renderPlanText(await planPortfolio(client, m))).toBe("No changes.\n");
    } finally {
      await close();
    }
  });

  it("per domain in YAML and as a CSV kind (domain * for all)", async () => {
    const m = await manifestFrom({
      "m.yaml": `version: 1\ndomains:\n  a.se:\n    dns: []\n    dns_ignore:\n      - {host: "verify-*"}\n`,
      "ignore.csv": "domain,ignore_host,ignore_type\n*,_acme-challenge*,TXT\n",
    });
    expect(m.domains.get("a.se")!.dnsIgnore).toEqual([{ host: "verify-*" }, { host: "_acme-challenge*", type: "TXT" }]);
  });
  it("ignored records are outside every comparison: a saved plan is not stale and rollback restores when only they changed", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 2 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      const acme = (tok: string) => ({ hostname: "_acme-challenge", type: "TXT", address: tok, priority: null });
      const a = (ip: string) => ({ hostname: "@", type: "A", address: ip, priority: null });
      sandbox.state.get(name)!.dns = [a("192.0.2.1"), acme("tok1")];
      const m = await manifestFrom({
        "m.yaml": `version: 1\ndns_ignore:\n  - {host: "_acme-challenge*", type: TXT}\ndomains:\n  ${name}:\n    dns:\n      - {host: "@", type: A, address: 192.0.2.2}\n`,
      });
      const plan = await planPortfolio(client, m);
      // certbot renews its challenge between plan and apply: the saved plan still holds.
      sandbox.state.get(name)!.dns = [a("192.0.2.1"), acme("tok2")];
      const dir = mkdtempSync(join(tmpdir(), "j-"));
      const journalPath = join(dir, "j.jsonl");
      const report = await applyPlan(client, plan, { mode: "saved", journal: new Journal(journalPath) });
      expect(report.stale).toEqual([]);
      expect(sandbox.state.get(name)!.dns).toEqual(expect.arrayContaining([a("192.0.2.2"), acme("tok2")]));
      expect(sandbox.state.get(name)!.dns).toHaveLength(2);
      // And again before a rollback: the zone is still what the run wrote, apart from what is ignored.
      sandbox.state.get(name)!.dns = [a("192.0.2.2"), acme("tok3")];
      const { entries } = readJournal(journalPath);
      const back = await rollbackRun(client, "run", entries, new Journal(join(dir, "rollback.jsonl")));
      expect(back.notRestorable).toEqual([]);
      expect(back.restored).toBe(1);
      // The managed records go back; the ignored one stays as it is now.
      expect(sandbox.state.get(name)!.dns).toEqual(expect.arrayContaining([a("192.0.2.1"), acme("tok3")]));
      expect(sandbox.state.get(name)!.dns).toHaveLength(2);
    } finally {
      await close();
    }
  });
});
