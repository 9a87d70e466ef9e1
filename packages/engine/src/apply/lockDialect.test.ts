/**
 * Lock against a server that speaks as the public client modules do: it reads only `lockenabled`,
 * answers "Unknown" for a TLD without registrar lock, and "empty" when nothing changes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { domainParams } from "@regdom/core";
import { loadManifests } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { exportPortfolio } from "../export/exportPortfolio.js";
import { planPortfolio } from "../plan/planPortfolio.js";
import { renderPlanText } from "../plan/renderPlan.js";
import type { Registrar } from "../registrar.js";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { applyPlan } from "./applyPlan.js";
import { Journal, readJournal } from "./journal.js";
import { rollbackRun } from "./rollback.js";

async function manifestOf(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), "regdom-lock-"));
  writeFileSync(join(dir, "m.yaml"), yaml);
  return (await loadManifests([join(dir, "m.yaml")])).manifest;
}
const journal = () => new Journal(join(mkdtempSync(join(tmpdir(), "j-")), "j.jsonl"));

function addDomain(sandbox: Awaited<ReturnType<typeof sandboxAndClient>>["sandbox"], name: string, locked: boolean) {
  sandbox.state.domains.set(name, {
    name,
    status: "Active",
    expiryDate: "2030-01-01",
    nameservers: ["ns1.host.se", "ns2.host.se"],
    locked,
    autorenew: false,
    registrant: { Name: "Anna Berg" },
    dns: [],
    forwarding: [],
    eppcode: "x",
    childNameservers: {},
  });
}

/**
 * A client that sends only the reference's lockstatus, as regdom did: the modules server answers
 * "empty" (a success) and changes nothing.
 */
function referenceOnlyLock(client: Registrar): Registrar {
  return new Proxy(client, {
    get(target, key) {
      if (key === "setLock")
        return async (domain: string, locked: boolean) => {
          const { sld, tld, ace } = domainParams(domain);
          await target.call("DomainUpdateLockingStatus", { sld, tld, lockstatus: locked ? "1" : "" }, ace);
        };
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

describe("lock in the modules dialect", () => {
  it("a lock change against the lockenabled-only server takes", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ dialect: "modules" }, { authField: "email" });
    try {
      addDomain(sandbox, "laas.se", false);
      const m = await manifestOf("version: 1\ndomains:\n  laas.se: {lock: true}\n");
      const report = await applyPlan(client, await planPortfolio(client, m), { mode: "fresh", journal: journal() });
      expect(report.failures).toEqual([]);
      expect(sandbox.state.get("laas.se")!.locked).toBe(true);
      expect(renderPlanText(await planPortfolio(client, m))).toBe("No changes.\n");
    } finally {
      await close();
    }
  });

  it("the lock is read back after the write: a success that changed nothing fails the domain", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ dialect: "modules" }, { authField: "email" });
    try {
      addDomain(sandbox, "laas.se", false);
      const referenceOnly = referenceOnlyLock(client);
      const m = await manifestOf("version: 1\ndomains:\n  laas.se: {lock: true}\n");
      const report = await applyPlan(referenceOnly, await planPortfolio(client, m), {
        mode: "fresh",
        journal: journal(),
      });
      expect(report.domains.failed).toBe(1);
      expect(report.failures[0]!.message).toContain("the registrar said success but the lock is still off");
    } finally {
      await close();
    }
  });

  it("rollback reads the lock back once too: a restore that changed nothing fails the domain", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ dialect: "modules" }, { authField: "email" });
    try {
      addDomain(sandbox, "laas.se", false);
      const m = await manifestOf("version: 1\ndomains:\n  laas.se: {lock: true}\n");
      const dir = mkdtempSync(join(tmpdir(), "j-"));
      const runJournal = join(dir, "j.jsonl");
      await applyPlan(client, await planPortfolio(client, m), { mode: "fresh", journal: new Journal(runJournal) });
      expect(sandbox.state.get("laas.se")!.locked).toBe(true);
      const { entries } = readJournal(runJournal);
      const back = await rollbackRun(referenceOnlyLock(client), "run", entries, new Journal(join(dir, "rb.jsonl")));
      expect(back.restored).toBe(0);
      expect(back.failed).toEqual([
        {
          domain: "laas.se",
          section: "lock",
          message: "DomainUpdateLockingStatus laas.se: the registrar said success but the lock is still on",
        },
      ]);
      expect(readJournal(join(dir, "rb.jsonl")).entries.map((e) => e.phase)).toEqual(["intent", "failed"]);
      // The client as it is restores it, and the read shows it took.
      const again = await rollbackRun(client, "run", entries, new Journal(join(dir, "rb2.jsonl")));
      expect(again).toMatchObject({ restored: 1, failed: [] });
      expect(sandbox.state.get("laas.se")!.locked).toBe(false);
    } finally {
      await close();
    }
  });

  it('"Unknown": a note in the plan, nothing sent, and the export leaves lock out', async () => {
    const { sandbox, client, close } = await sandboxAndClient({ dialect: "modules" }, { authField: "email" });
    try {
      addDomain(sandbox, "utan-las.eu", false);
      const m = await manifestOf("version: 1\ndomains:\n  utan-las.eu: {lock: true}\n");
      const plan = await planPortfolio(client, m);
      expect(plan.domains[0]!.action).toBe("none");
      expect(plan.domains[0]!.notes.join("\n")).toMatch(/warning: the registrar offers no lock for this domain/);
      expect(renderPlanText(plan)).toContain('answers "Unknown"): lock: true is not sent');
      const before = sandbox.requests.length;
      await applyPlan(client, plan, { mode: "fresh", journal: journal() });
      expect(sandbox.requests.slice(before).filter((r) => r.action === "domainupdatelockingstatus")).toEqual([]);
      const exported = await exportPortfolio(client, ["utan-las.eu"], { sections: ["lock", "nameservers"] });
      const d = exported.manifest.domains.get("utan-las.eu")!;
      expect(d.nameservers).toEqual(["ns1.host.se", "ns2.host.se"]);
      expect("lock" in d).toBe(false);
    } finally {
      await close();
    }
  });
});
