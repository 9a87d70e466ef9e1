/**
 * The DNSSEC verdict in every view of a plan (text, markdown, JSON round trip, HTML in red) and in
 * the safety rules: would break and unknown refused unless --allow-dnssec-break; safe and unsigned sent.
 */

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SafetyError } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { readPlanFile } from "../apply/index.js";
import { checkSafety } from "../apply/safety.js";
import { renderPlanHtml } from "../html/planHtml.js";
import type { DomainPlan, Plan } from "../plan/model.js";
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from "../plan/renderPlan.js";
import type { DnssecCheck } from "./guard.js";

const CHECKS: Record<string, DnssecCheck> = {
  "safe.se": { verdict: "safe", ds: ["1234/13/2"], servers: [{ name: "ns1.b.se", matching: [1234] }] },
  "plain.se": { verdict: "unsigned", ds: [], servers: [] },
  "brk.se": {
    verdict: "would break",
    ds: ["1234/13/2"],
    servers: [{ name: "ns1.b.se", matching: [], problem: "it serves no DNSKEY matching a DS" }],
    reason: "ns1.b.se: it serves no DNSKEY matching a DS",
  },
  "unk.se": { verdict: "unknown", ds: [], servers: [], reason: "the DS records could not be read: timed out" },
};

function planOf(names: string[]): Plan {
  const domains = names.map(
    (name): DomainPlan => ({
      name,
      display: name,
      action: "update",
      changes: [{ section: "nameservers", before: ["ns1.a.se"], after: ["ns1.b.se"] }],
      fingerprint: "f",
      desired: { name, display: name, source: { file: "m.yaml" }, nameservers: ["ns1.b.se"] },
      notes: [],
      dnssec: CHECKS[name]!,
    }),
  );
  return {
    version: 1,
    createdAt: "2026-01-01T00:00:00.000Z",
    endpoint: "http://127.0.0.1/api.php",
    manifestDigest: "0".repeat(64),
    domains,
    summary: {
      domains: names.length,
      changed: names.length,
      unchanged: 0,
      errors: 0,
      create: 0,
      update: names.length,
      delete: 0,
      register: 0,
      transfer: 0,
      renew: 0,
      years: 0,
      writes: names.length,
    },
  };
}

describe("the DNSSEC verdict in the plan", () => {
  const plan = planOf(Object.keys(CHECKS));

  it("shows in text and markdown, the refused ones marked !", () => {
    const text = renderPlanText(plan);
    expect(text).toContain("    ~ nameservers: ns1.a.se -> ns1.b.se\n      dnssec: safe (DS 1234/13/2;");
    expect(text).toContain("  dnssec: unsigned (no DS at the parent)");
    expect(text).toContain("! dnssec: would break (DS 1234/13/2; ns1.b.se: it serves no DNSKEY matching a DS)");
    expect(text).toContain("! dnssec: unknown, not safe (the DS records could not be read: timed out)");
    const md = renderPlanMarkdown(plan);
    expect(md).toMatch(/` ! dnssec: would break \(DS 1234\/13\/2; ns1\.b\.se/);
    expect(md).toMatch(/` +dnssec: unsigned \(no DS at the parent\) `/);
  });

  it("marks would break and unknown in red in the HTML plan", () => {
    const html = renderPlanHtml(plan);
    expect(html).toMatch(/<span class="err">! dnssec: would break/);
    expect(html).toMatch(/<span class="err">! dnssec: unknown, not safe/);
    expect(html).not.toMatch(/class="err">[^<]*dnssec: safe/);
  });

  it("survives a saved plan's round trip", () => {
    const file = join(mkdtempSync(join(tmpdir(), "regdom-dnssec-")), "plan.json");
    writeFileSync(file, renderPlanJson(plan));
    expect(readPlanFile(file).domains.map((d) => d.dnssec)).toEqual(Object.values(CHECKS));
  });

  it("refuses would break and unknown unless --allow-dnssec-break; safe and unsigned pass", () => {
    expect(() => checkSafety(planOf(["safe.se", "plain.se"]), {})).not.toThrow();
    let err: unknown;
    try {
      checkSafety(plan, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SafetyError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/brk\.se: the nameserver change dnssec: would break/);
    expect(msg).toMatch(/unk\.se: the nameserver change dnssec: unknown/);
    expect(msg).not.toMatch(/safe\.se|plain\.se/);
    expect(() => checkSafety(plan, { allowDnssecBreak: true })).not.toThrow();
  });
});
