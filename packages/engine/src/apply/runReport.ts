/**
 * The report of a whole run, whatever number of attempts it took: an apply killed and resumed
 * twice is one run, and its report.json says everything the run did. Writes and money come from
 * the journal (which every attempt appends to); failures are the last attempt's, since a resume
 * re-plans every domain against live state.
 */
import type { Plan } from "../plan/model.js";
import { sectionNamed } from "../sections/index.js";
import type { ApplyReport, DomainOutcome } from "./applyPlan.js";
import type { JournalEntry, Phase } from "./journal.js";

export function wholeRunReport(last: ApplyReport, journal: JournalEntry[], plan: Plan): ApplyReport {
  const display = new Map(plan.domains.map((d) => [d.name, d.display]));
  const sections: ApplyReport["sections"] = {};
  const writesBy = new Map<string, number>();
  let writes = 0;
  // The intent each outcome answers: same domain, section and attempt.
  const open = new Map<string, JournalEntry>();
  const money = new Map<string, { entry: JournalEntry; outcome: Phase | "none" }>();
  for (const e of journal) {
    if (e.section === "*") continue;
    const key = `${e.domain}\u0000${e.section}\u0000${e.attempt ?? 1}`;
    if (e.phase === "intent") {
      open.set(key, e);
      if (sectionNamed(e.section)?.money)
        money.set(`${e.domain}\u0000${e.section}\u0000${e.seq}`, { entry: e, outcome: "none" });
      continue;
    }
    const intent = open.get(key);
    if (!intent) continue;
    open.delete(key);
    sections[e.section] ??= {};
    sections[e.section]![e.phase] = (sections[e.section]![e.phase] ?? 0) + 1;
    if (e.phase === "ok") {
      writes++;
      writesBy.set(e.domain, (writesBy.get(e.domain) ?? 0) + 1);
    }
    const m = money.get(`${e.domain}\u0000${e.section}\u0000${intent.seq}`);
    if (m) m.outcome = e.phase;
  }
  const lastOf = new Map(last.results.map((r) => [r.name, r]));
  const all = [...money.values()];
  const moneyLines: ApplyReport["money"] = all.flatMap(({ entry, outcome }, i) => {
    const years = (entry.after as { years?: number } | undefined)?.years;
    const base = {
      domain: display.get(entry.domain) ?? entry.domain,
      section: entry.section,
      ...(years ? { years } : {}),
    };
    if (outcome !== "none") return [{ ...base, outcome }];
    // A later attempt planned the same purchase again: live state showed this one had not happened.
    if (all.slice(i + 1).some((m) => m.entry.domain === entry.domain && m.entry.section === entry.section)) return [];
    // No outcome: killed mid-write. If the last attempt found nothing left to do for the domain,
    // the purchase happened (a resume re-plans against live state and never resends it).
    const final = lastOf.get(entry.domain);
    const settled = final && (final.outcome === "unchanged" || final.outcome === "ok" || final.outcome === "deferred");
    if (!settled) return [{ ...base, outcome: "unknown" as const }];
    // Confirmed by state: a write of the run, counted where the money list counts it.
    sections[entry.section] ??= {};
    sections[entry.section]!.ok = (sections[entry.section]!.ok ?? 0) + 1;
    writes++;
    writesBy.set(entry.domain, (writesBy.get(entry.domain) ?? 0) + 1);
    return [{ ...base, outcome: "ok" as const, reconciled: true }];
  });
  const results = last.results.map((r) => {
    // A domain changed by an earlier attempt is not "unchanged" in the run.
    const total = writesBy.get(r.name) ?? 0;
    const outcome: DomainOutcome = r.outcome === "unchanged" && total > 0 ? "ok" : r.outcome;
    return { name: r.name, outcome, writes: total };
  });
  const domains: ApplyReport["domains"] = { ok: 0, failed: 0, stale: 0, deferred: 0, unchanged: 0, "not-started": 0 };
  for (const r of results) domains[r.outcome]++;
  return {
    ...last,
    attempts: new Set(journal.map((e) => e.attempt ?? 1)).size,
    domains,
    sections,
    writes,
    money: moneyLines,
    results,
  };
}
