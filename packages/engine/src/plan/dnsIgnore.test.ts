/** Records managed elsewhere (dns_ignore): never diffed, never counted, sent back unchanged. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadManifests } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../apply/applyPlan.js";
import { Journal } from "../apply/journal.js";
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
});
