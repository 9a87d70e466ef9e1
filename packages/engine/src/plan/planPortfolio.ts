/** Plans a whole manifest: reads live state for every domain (in parallel, rate-limited) and diffs. */

import { createHash } from "node:crypto";
import { toAce, UserError } from "@regdom/core";
import type { Manifest } from "@regdom/manifest";
import { manifestObject, sortedDomains } from "@regdom/manifest";
import pLimit from "p-limit";
import type { DnsServer } from "../dnssec/dnsQuery.js";
import { checkDnssecAll, type DnssecCheck, type GuardOptions } from "../dnssec/guard.js";
import type { Registrar } from "../registrar.js";
import { guardedChange } from "../sections/index.js";
import { checkDomainFields } from "./checkDomainFields.js";
import {
  type DomainPlan,
  deferredSections,
  isDrift,
  isMoney,
  PLAN_VERSION,
  type Plan,
  type PlanSummary,
} from "./model.js";
import { planDomain } from "./planDomain.js";
import { planMoney } from "./planMoney.js";
import { readLive } from "./readLive.js";

export interface PlanOptions {
  /** Narrow the run to these domains (Unicode or ACE). */
  only?: string[];
  onDomain?: (d: DomainPlan) => void;
  signal?: AbortSignal;
  /**
   * Check every nameserver change against the DNSSEC state (`resolver` undefined: none configured,
   * so every signed-or-not question is unknown). Absent: not checked.
   */
  dnssec?: DnssecOptions;
}

export type DnssecOptions = Omit<GuardOptions, "resolver"> & { resolver: DnsServer | undefined };

/** The DNSSEC verdict of each planned nameserver change, set on its domain's plan. */
export async function guardNameservers(plans: DomainPlan[], o: DnssecOptions): Promise<void> {
  const wanted = plans.flatMap((d) => {
    if (d.action === "error") return [];
    // A nameserver change's new set, else the kept nameservers a glue change gives new addresses.
    const nameservers = guardedChange(d)?.nameservers;
    // The manifest's glue is what the hosts under the domain will have when the change is sent.
    return nameservers ? [{ d, nameservers, glue: d.desired.glue ?? {} }] : [];
  });
  if (wanted.length === 0) return;
  const { resolver } = o;
  const checks: Map<string, DnssecCheck> = resolver
    ? await checkDnssecAll(
        wanted.map((w) => ({ domain: w.d.name, nameservers: w.nameservers, glue: w.glue })),
        { ...o, resolver },
      )
    : new Map(
        wanted.map((w) => [
          w.d.name,
          { verdict: "unknown", ds: [], servers: [], reason: "no resolver (none in /etc/resolv.conf; use --resolver)" },
        ]),
      );
  for (const w of wanted) {
    const c = checks.get(w.d.name);
    if (c) w.d.dnssec = c;
    else delete w.d.dnssec;
  }
}

export function manifestDigest(m: Manifest): string {
  return createHash("sha256")
    .update(JSON.stringify(manifestObject(m)))
    .digest("hex");
}

export function selectDomains(m: Manifest, only?: string[]) {
  const all = sortedDomains(m);
  if (!only || only.length === 0) return all;
  const wanted = new Set(only.map((n) => toAce(n)));
  const unknown = [...wanted].filter((n) => !m.domains.has(n));
  if (unknown.length)
    throw new UserError(`--only names domains that the manifest does not hold: ${unknown.join(", ")}`);
  return all.filter((d) => wanted.has(d.name));
}

export async function planPortfolio(client: Registrar, m: Manifest, opts: PlanOptions = {}): Promise<Plan> {
  const domains = selectDomains(m, opts.only);
  // Requests are limited by the client's scheduler; this only bounds how many domains wait in memory.
  const inFlight = pLimit(64);
  const planned = await Promise.all(
    domains.map((d) =>
      inFlight(async (): Promise<DomainPlan> => {
        let plan: DomainPlan;
        if (opts.signal?.aborted) throw new Error("interrupted");
        try {
          const live = await readLive(client, d, opts.dnssec ? { dns: opts.dnssec } : {});
          plan = planDomain(d, live, m.owners, undefined, m.ownerExtras);
        } catch (e) {
          plan = {
            name: d.name,
            display: d.display,
            action: "error",
            changes: [],
            fingerprint: "",
            desired: d,
            notes: [],
            error: e instanceof Error ? e.message : String(e),
          };
        }
        opts.onDomain?.(plan);
        return plan;
      }),
    ),
  );
  // Credentials refused or endpoint unreachable: one error for the run, not one per domain.
  if (client.fatal) throw client.fatal;
  // Before any money is priced or spent: the purchases' domainfields against the registry's fields.
  const plans = await checkDomainFields(client, planned);
  if (client.fatal) throw client.fatal;
  if (opts.dnssec) await guardNameservers(plans, opts.dnssec);
  const money = await planMoney(client, plans);
  return {
    version: PLAN_VERSION,
    createdAt: new Date().toISOString(),
    endpoint: client.endpoint,
    manifestDigest: manifestDigest(m),
    ...(Object.keys(m.ownerExtras).length ? { ownerExtras: m.ownerExtras } : {}),
    domains: plans,
    summary: summarize(plans),
    ...(money ? { money } : {}),
  };
}

export function summarize(plans: DomainPlan[]): PlanSummary {
  const s: PlanSummary = {
    domains: plans.length,
    changed: 0,
    unchanged: 0,
    errors: 0,
    create: 0,
    update: 0,
    delete: 0,
    register: 0,
    transfer: 0,
    renew: 0,
    years: 0,
    writes: 0,
  };
  for (const p of plans) {
    if (p.action === "error") s.errors++;
    else if (p.action === "none") s.unchanged++;
    else {
      s.changed++;
      s[p.action]++;
    }
    for (const c of p.changes) {
      if (p.action !== "error") s.writes++;
      if (isMoney(c)) {
        s[c.section]++;
        s.years += c.years;
      }
    }
  }
  return s;
}

/** Domains whose manifest asks for what cannot be done (exit 2, nothing sent). */
export function inputErrors(plan: Plan): DomainPlan[] {
  return plan.domains.filter((d) => d.inputError);
}

export function hasChanges(plan: Plan): boolean {
  return plan.domains.some((d) => d.changes.some(isDrift));
}

/** Sections held back by a pending transfer: drift that `plan --detailed-exitcode` reports (exit 4). */
export function hasDeferred(plan: Plan): boolean {
  return plan.domains.some((d) => deferredSections(d).length > 0);
}
