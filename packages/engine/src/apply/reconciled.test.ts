/**
 * Money whose outcome was unknown, settled by reading state: the report's section counts hold it
 * as the money list does, and a Sync that gives no expiry leaves a renewal unknown, never "did not
 * happen" (which invites a second renewal).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OutcomeUnknownError, type RegistrarClient } from "@regdom/core";
import { emptyManifest, type Manifest, Problems, readYamlManifest } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { planPortfolio } from "../plan/planPortfolio.js";
import type { Registrar } from "../registrar.js";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { applyPlan } from "./applyPlan.js";
import { Journal, readJournal } from "./journal.js";
import { wholeRunReport } from "./runReport.js";

function manifest(yaml: string): Manifest {
  const p = new Problems();
  const m = emptyManifest();
  readYamlManifest(yaml, "m.yaml", p, m);
  expect(p.errors).toEqual([]);
  return m;
}

/** The client, with the answer to RenewDomain lost after the registrar renewed. */
function answerLost(client: RegistrarClient, extra: Partial<Registrar> = {}): Registrar {
  return new Proxy(client, {
    get(target, key) {
      if (key === "renewDomain")
        return async (domain: string, years: number) => {
          await target.renewDomain(domain, years);
          throw new OutcomeUnknownError({ action: "RenewDomain", domain }, new Error("socket hang up"));
        };
      if (key in extra) return extra[key as keyof Registrar];
      const v = Reflect.get(target, key, target) as unknown;
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as Registrar;
}

async function renewalSetup() {
  const env = await sandboxAndClient({ seed: 1 });
  const name = [...env.sandbox.state.domains.keys()][0]!;
  const expiry = env.sandbox.state.get(name)!.expiryDate;
  const target = new Date(Date.parse(`${expiry}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const m = manifest(`version: 1\ndomains:\n  ${name}:\n    expires_not_before: ${target}\n`);
  const dir = mkdtempSync(join(tmpdir(), "regdom-reconciled-"));
  return { ...env, name, m, dir };
}

describe("a purchase confirmed by reading state", () => {
  it("is counted in the report's sections, as in its money list", async () => {
    const { client, sandbox, close, name, m, dir } = await renewalSetup();
    try {
      const registrar = answerLost(client);
      const plan = await planPortfolio(registrar, m);
      const journal = new Journal(join(dir, "journal.jsonl"));
      const last = await applyPlan(registrar, plan, { mode: "fresh", journal });
      journal.close();
      const report = wholeRunReport(last, readJournal(join(dir, "journal.jsonl")).entries, plan);
      expect(sandbox.executed("RenewDomain", name)).toBe(1);
      expect(report.money).toEqual([{ domain: name, section: "renew", years: 1, outcome: "ok" }]);
      expect(report.sections).toEqual({ renew: { ok: 1 } });
      expect(report.writes).toBe(1);
    } finally {
      await close();
    }
  });

  it("killed after the intent and settled by a resume: counted in sections and writes too", async () => {
    const { client, close, name, m, dir } = await renewalSetup();
    try {
      const plan = await planPortfolio(client, m);
      const path = join(dir, "journal.jsonl");
      // The first attempt wrote its intent and died with the request on the wire.
      const first = new Journal(path);
      first.append({ domain: name, section: "renew", action: "RenewDomain", phase: "intent", after: { years: 1 } });
      first.close();
      await client.renewDomain(name, 1);
      const journal = new Journal(path, 1, 2);
      const last = await applyPlan(client, plan, { mode: "resume", journal });
      journal.close();
      const report = wholeRunReport(last, readJournal(path).entries, plan);
      expect(report.money).toEqual([{ domain: name, section: "renew", years: 1, outcome: "ok", reconciled: true }]);
      expect(report.sections).toEqual({ renew: { ok: 1 } });
      expect(report.writes).toBe(1);
      expect(report.domains.ok).toBe(1);
    } finally {
      await close();
    }
  });

  it("a Sync without expiry after a lost answer leaves the renewal unknown, not 'did not happen'", async () => {
    const { client, sandbox, close, m, dir } = await renewalSetup();
    try {
      const plan = await planPortfolio(client, m);
      // After the renewal, Sync answers without its expiry date.
      const sent = () => sandbox.executed("RenewDomain") > 0;
      const registrar = answerLost(client, {
        sync: async (d: string) => (sent() ? { status: "Active" } : client.sync(d)),
      });
      const journal = new Journal(join(dir, "journal.jsonl"));
      const report = await applyPlan(registrar, plan, { mode: "fresh", journal });
      journal.close();
      expect(report.money.map((x) => x.outcome)).toEqual(["unknown"]);
      expect(report.failures[0]!.message).toMatch(/resume reconciles/);
    } finally {
      await close();
    }
  });
});
