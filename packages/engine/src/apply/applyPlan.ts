/**
 * Applies a plan: one write per changed section, journaled (intent, then outcome), domains in
 * parallel under the client's shared scheduler. Money operations whose outcome is unknown are
 * reconciled by reading state, never resent. An aborted signal stops new domains from starting.
 */

import type { Owner } from "@regdom/core";
import { ApiError, OutcomeUnknownError } from "@regdom/core";
import pLimit from "p-limit";
import { type Change, type DomainPlan, deferredSections, isMoney, type Plan } from "../plan/model.js";
import { planDomain } from "../plan/planDomain.js";
import { readLive } from "../plan/readLive.js";
import type { Registrar } from "../registrar.js";
import { moduleOf, type ReadContext, SECTIONS } from "../sections/index.js";
import type { Journal, Phase } from "./journal.js";

/** JSON with keys sorted at every level: equal values give equal text, whatever order keys came in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export type ApplyMode = "fresh" | "saved" | "resume";

export interface ApplyOptions {
  mode: ApplyMode;
  journal: Journal;
  signal?: AbortSignal;
  /** Domains at once (requests are limited by the client's scheduler regardless). */
  domainConcurrency?: number;
  /**
   * Writes in flight at once: the client's concurrency. A write's intent is journaled when it
   * takes a slot, just before its request goes, so an abort leaves at most this many in flight
   * and no intent for a write that was only queued.
   */
  writeConcurrency?: number;
  onDomain?: (r: DomainResult) => void;
  /** What re-reading live state needs beyond the registrar (the resolver glue is read through). */
  read?: ReadContext;
}

export type DomainOutcome = "ok" | "failed" | "stale" | "deferred" | "unchanged" | "not-started";

export interface DomainResult {
  name: string;
  display: string;
  outcome: DomainOutcome;
  writes: number;
  failures: { section: string; message: string }[];
  money: { section: string; years?: number; outcome: Phase; reconciled?: boolean }[];
  note?: string;
  /** A deferred domain: what it waits for, and the sections that wait with it. */
  waiting?: { for: string; sections: string[] };
}

export interface ApplyReport {
  version: 1;
  mode: ApplyMode;
  startedAt: string;
  finishedAt: string;
  endpoint: string;
  interrupted: boolean;
  domains: Record<DomainOutcome, number>;
  sections: Record<string, Record<string, number>>;
  writes: number;
  failures: { domain: string; section: string; message: string }[];
  money: { domain: string; section: string; years?: number; outcome: Phase; reconciled?: boolean }[];
  stale: string[];
  /** Each deferred domain, what it waits for and the sections that wait with it. */
  deferred?: { domain: string; waitsFor: string; sections: string[] }[];
  /** How many attempts (the apply and its resumes) the report covers. */
  attempts?: number;
  /** Each domain's outcome and writes, by ACE name. */
  results: { name: string; outcome: DomainOutcome; writes: number }[];
}

/** The report's line for a money operation. */
function moneyRecord(c: Change, outcome: Phase, reconciled?: boolean): DomainResult["money"][number] {
  return {
    section: c.section,
    ...("years" in c ? { years: c.years } : {}),
    outcome,
    ...(reconciled ? { reconciled } : {}),
  };
}

function ownersOf(plan: Plan): Record<string, Owner> {
  const owners: Record<string, Owner> = {};
  for (const d of plan.domains)
    for (const c of d.changes) {
      const p = moduleOf(c).purchase?.(c);
      if (p) {
        owners[p.owner] = p.profile;
        if (p.admin && p.adminProfile) owners[p.admin] = p.adminProfile;
      }
    }
  return owners;
}

/** After a money operation of unknown outcome: did it happen? Reads state, never resends. */
async function reconcile(client: Registrar, d: DomainPlan, c: Change): Promise<boolean | undefined> {
  const happened = moduleOf(c).happened ?? ((_c, sync) => sync !== undefined);
  try {
    return happened(c, await client.sync(d.name));
  } catch (e) {
    if (e instanceof ApiError && e.isNotFound) return happened(c, undefined);
    return undefined;
  }
}

export async function applyPlan(client: Registrar, plan: Plan, opts: ApplyOptions): Promise<ApplyReport> {
  const startedAt = new Date().toISOString();
  const owners = ownersOf(plan);
  const limit = pLimit(opts.domainConcurrency ?? 16);
  const sections: Record<string, Record<string, number>> = {};
  const count = (section: string, phase: string) => {
    sections[section] ??= {};
    sections[section][phase] = (sections[section][phase] ?? 0) + 1;
  };
  const journal = opts.journal;
  const writeSlots = pLimit(Math.max(1, opts.writeConcurrency ?? 16));

  const applyOne = async (planned: DomainPlan): Promise<DomainResult> => {
    const r: DomainResult = {
      name: planned.name,
      display: planned.display,
      outcome: "ok",
      writes: 0,
      failures: [],
      money: [],
    };
    if (opts.signal?.aborted) return { ...r, outcome: "not-started" };
    let d = planned;
    // A money operation is sent only against what was confirmed: in a fresh run too, the domain is
    // read again (under the account lock, just before its purchase or renewal, which come first),
    // and refused as stale when it moved since the plan (another operator renewed it meanwhile).
    const moneyCheck = opts.mode === "fresh" && planned.changes.some(isMoney);
    if ((opts.mode !== "fresh" || moneyCheck) && planned.action !== "error") {
      // Read again: a saved plan is refused where the domain moved; a resumed run re-plans.
      let live: Awaited<ReturnType<typeof readLive>>;
      try {
        live = await readLive(client, planned.desired, opts.read);
      } catch (e) {
        r.failures.push({ section: "read", message: e instanceof Error ? e.message : String(e) });
        return { ...r, outcome: "failed" };
      }
      // A saved plan is re-planned from its desired state on the day it was made: what is sent
      // comes from the desired state, never from the changes as written in the file.
      const fresh = planDomain(
        planned.desired,
        live,
        owners,
        opts.mode === "saved" ? plan.createdAt.slice(0, 10) : undefined,
        plan.ownerExtras ?? {},
      );
      if (moneyCheck) {
        if (fresh.fingerprint !== planned.fingerprint) {
          const note = "live state changed since the plan was read (seen again before its money operation); plan again";
          journal.append({ domain: d.name, section: "*", action: "stale-check", phase: "skipped", note });
          return { ...r, outcome: "stale", note };
        }
      } else if (opts.mode === "saved") {
        const moved = fresh.fingerprint !== planned.fingerprint;
        const rules = planned.desired.dns ? planned.desired.dnsIgnore : undefined;
        const comparable = (p: DomainPlan) =>
          canonicalJson(p.changes.map((c) => moduleOf(c).comparable?.(c, rules, p.name) ?? c));
        if (moved || comparable(fresh) !== comparable(planned)) {
          const note = moved
            ? "live state changed since the plan was made; plan again"
            : "the plan's changes are not what its desired state gives against live state; plan again";
          journal.append({ domain: d.name, section: "*", action: "stale-check", phase: "skipped", note });
          return { ...r, outcome: "stale", note };
        }
      }
      if (!moneyCheck) d = fresh;
    }
    if (d.action === "error") {
      r.failures.push({ section: "plan", message: d.error ?? "error" });
      return { ...r, outcome: "failed" };
    }
    const changes = [...d.changes].sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section));
    if (changes.length === 0) {
      const sections = deferredSections(d);
      if (sections.length) return { ...r, outcome: "deferred", waiting: { for: "its transfer to complete", sections } };
      return { ...r, outcome: "unchanged" };
    }
    let purchased = false;
    const failedSections = new Set<string>();
    for (const c of changes) {
      const section = moduleOf(c);
      // What the purchase sent already (its nameservers) is not written again.
      if (purchased && section.carried?.(d)) continue;
      // What it depends on failed (glue for new nameservers, the change that leaves old glue unused).
      const blocker = section.requires?.find((s) => failedSections.has(s));
      if (blocker) {
        const message = `not sent: its ${blocker} write failed`;
        journal.append({ domain: d.name, section: c.section, action: section.action, phase: "skipped", note: message });
        failedSections.add(c.section);
        r.failures.push({ section: c.section, message });
        r.outcome = "failed";
        continue;
      }
      const money = section.money;
      const base = { domain: d.name, section: c.section, action: section.action };
      const rules = section.journalIgnore?.(d);
      const ignore = rules ? { ignore: rules } : {};
      try {
        const sent = await writeSlots(async () => {
          if (opts.signal?.aborted) return false;
          journal.append(
            { ...base, phase: "intent", before: section.journalBefore(c), after: section.journalAfter(c), ...ignore },
            money,
          );
          return (await section.write(client, d, c)) ?? true;
        });
        if (!sent) {
          // Interrupted before this write: nothing of the rest is sent; a resume re-plans it.
          if (r.writes === 0 && r.outcome === "ok") return { ...r, outcome: "not-started" };
          r.failures.push({ section: c.section, message: "not sent: the run was interrupted (resume to finish)" });
          r.outcome = "failed";
          break;
        }
        // An answer taken as done (glue registered already): said in the outcome.
        journal.append({ ...base, phase: "ok", ...(sent === true ? {} : { note: sent.note }) });
        count(c.section, "ok");
        r.writes++;
        if (money) r.money.push(moneyRecord(c, "ok"));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (e instanceof OutcomeUnknownError) {
          const happened = await reconcile(client, d, c);
          if (happened === true) {
            journal.append({
              ...base,
              phase: "ok",
              note: "outcome was unknown; state read afterwards shows it happened (not resent)",
            });
            count(c.section, "ok");
            r.writes++;
            r.money.push(moneyRecord(c, "ok", true));
          } else {
            const phase: Phase = happened === false ? "failed" : "unknown";
            const note =
              happened === false
                ? "outcome was unknown; state shows it did not happen; not resent (run again to retry)"
                : "outcome unknown and state could not be read; resume reconciles";
            journal.append({ ...base, phase, error: message, note });
            count(c.section, phase);
            r.money.push(moneyRecord(c, phase));
            r.failures.push({ section: c.section, message: `${message} — ${note}` });
            r.outcome = "failed";
            break;
          }
        } else {
          journal.append({ ...base, phase: "failed", error: message });
          failedSections.add(c.section);
          count(c.section, "failed");
          r.failures.push({ section: c.section, message });
          r.outcome = "failed";
          // Nothing after a failed purchase can succeed; other sections are independent.
          if (money || section.destructive) break;
          continue;
        }
      }
      if (section.purchase) purchased = true;
      // A write that leaves the domain waiting (a pending transfer): the rest is a later apply's.
      const pending = await section.settle?.(client, d, c);
      if (pending) {
        r.outcome = r.outcome === "failed" ? "failed" : "deferred";
        r.note = pending.note;
        const rest = changes.filter((x) => x.section !== c.section).map((x) => x.section);
        r.waiting = { for: pending.waitsFor, sections: [...new Set(rest)] };
        journal.append({ ...base, section: "*", action: pending.action, phase: "skipped", note: r.note });
        break;
      }
    }
    return r;
  };

  const all = await Promise.all(
    plan.domains.map((d) =>
      limit(async () => {
        const res = await applyOne(d);
        opts.onDomain?.(res);
        return res;
      }),
    ),
  );
  const domains: Record<DomainOutcome, number> = {
    ok: 0,
    failed: 0,
    stale: 0,
    deferred: 0,
    unchanged: 0,
    "not-started": 0,
  };
  for (const r of all) domains[r.outcome]++;
  return {
    version: 1,
    mode: opts.mode,
    startedAt,
    finishedAt: new Date().toISOString(),
    endpoint: client.endpoint,
    interrupted: Boolean(opts.signal?.aborted),
    domains,
    sections,
    writes: all.reduce((n, r) => n + r.writes, 0),
    failures: all.flatMap((r) => r.failures.map((f) => ({ domain: r.display, ...f }))),
    money: all.flatMap((r) => r.money.map((m) => ({ domain: r.display, ...m }))),
    stale: all.filter((r) => r.outcome === "stale").map((r) => r.display),
    ...(all.some((r) => r.waiting)
      ? {
          deferred: all.flatMap((r) =>
            r.waiting ? [{ domain: r.display, waitsFor: r.waiting.for, sections: r.waiting.sections }] : [],
          ),
        }
      : {}),
    results: all.map((r) => ({ name: r.name, outcome: r.outcome, writes: r.writes })),
  };
}
