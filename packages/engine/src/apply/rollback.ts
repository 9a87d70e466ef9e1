/**
 * Puts back what a run may have changed. Every intent in the journal counts as possibly done
 * (a write killed mid-way, or done by an attempt that was then resumed, has an intent and no
 * outcome), so rollback reads each changed section live and compares it with the intents:
 * - live equals the section's first `before`: nothing to do;
 * - live equals what some attempt wrote (an `after`, or a later intent's `before`): restore the first `before`;
 * - anything else: someone changed it since; listed as not restorable (exit 1), never overwritten.
 * Purchases, deletions, autorenew and idprotection (no getter, so no known before) cannot be put back.
 */

import type { IgnoreRule } from "@regdom/manifest";
import * as v from "valibot";
import type { Registrar } from "../registrar.js";
import { type Journaled, type ReadContext, type Restorable, sectionNamed } from "../sections/index.js";
import type { Journal, JournalEntry } from "./journal.js";

export interface RollbackReport {
  version: 1;
  run: string;
  /** Every change of every attempt of the run: the intents in its journal. */
  changes: number;
  attempts: number;
  restored: number;
  /** Sections found already as they were before the run (a failed or never-finished write). */
  alreadyAsBefore: number;
  failed: { domain: string; section: string; message: string }[];
  notReversible: { domain: string; section: string; reason: string }[];
  /** Changed since by someone else: rollback will not overwrite what it did not write. */
  notRestorable: { domain: string; section: string; reason: string }[];
}

/** One section of one domain that the run touched: its intents, oldest first. */
interface Touched {
  domain: string;
  section: string;
  intents: JournalEntry[];
  /** Some intent of it has an ok outcome, or none at all (possibly done). */
  possiblyDone: boolean;
  /** Its intents whose outcome was `failed`. */
  failed: Set<JournalEntry>;
  /** The notes of its intents' outcomes (an answer taken as done). */
  notes: Map<JournalEntry, string>;
}

/** The sections a run touched, newest first, each with every intent of every attempt. */
export function touchedSections(entries: JournalEntry[]): Touched[] {
  const bySection = new Map<string, Touched>();
  // An intent is followed by its outcome (same domain, section and attempt) or by nothing.
  const open = new Map<string, JournalEntry>();
  const failed = new Set<JournalEntry>();
  for (const e of entries) {
    if (e.section === "*") continue;
    const key = `${e.domain}\u0000${e.section}`;
    const attemptKey = `${key}\u0000${e.attempt ?? 1}`;
    if (e.phase === "intent") {
      const t = bySection.get(key) ?? {
        domain: e.domain,
        section: e.section,
        intents: [],
        possiblyDone: false,
        failed: new Set<JournalEntry>(),
        notes: new Map<JournalEntry, string>(),
      };
      t.intents.push(e);
      // Re-inserted, so the map is ordered by each section's newest intent.
      bySection.delete(key);
      bySection.set(key, t);
      open.set(attemptKey, e);
    } else if (open.has(attemptKey)) {
      const intent = open.get(attemptKey)!;
      if (e.phase === "failed") failed.add(intent);
      if (e.note !== undefined) bySection.get(key)?.notes.set(intent, e.note);
      open.delete(attemptKey);
    }
  }
  for (const t of bySection.values()) {
    t.possiblyDone = t.intents.some((i) => !failed.has(i));
    t.failed = new Set(t.intents.filter((i) => failed.has(i)));
  }
  return [...bySection.values()].reverse();
}

/** The dns_ignore rules of a section's intents: records they cover were never the run's. */
function ignoreRules(t: Touched): IgnoreRule[] {
  return t.intents.flatMap((i) => i.ignore ?? []);
}

/** A journal's value of a section, decoded with the section's schema; null (nothing known) reads as absent. */
function decoded<T>(r: Restorable<T>, e: JournalEntry, field: "before" | "after"): T | undefined {
  const value = e[field];
  if (value === undefined || value === null) return undefined;
  const parsed = v.safeParse(r.value, value);
  if (parsed.success) return parsed.output;
  throw new Error(
    `the journal's ${field} of ${e.section} (line seq ${e.seq}) is not a ${e.section} value: ${parsed.issues[0].message}; nothing sent`,
  );
}

/** Reads the section live and puts back its first before, if the run's writes are what is there. */
async function rollbackSection<T>(
  client: Registrar,
  r: Restorable<T>,
  t: Touched,
  journal: Journal,
  report: RollbackReport,
  ctx: ReadContext,
): Promise<void> {
  const base = { domain: t.domain, section: t.section, action: `rollback ${t.intents[0]!.action}` };
  try {
    const all: Journaled<T>[] = t.intents.map((i) => {
      const note = t.notes.get(i);
      return { before: decoded(r, i, "before"), after: decoded(r, i, "after"), ...(note ? { note } : {}) };
    });
    const first = all[0]!.before as T;
    // A write that surely failed (one call, answered with an error) did nothing: nothing of it is
    // undone, and what it meant to write is not taken for the run's.
    const surelyFailed = (j: Journaled<T>, n: number) =>
      t.failed.has(t.intents[n]!) &&
      (r.atomic === undefined || (j.before !== undefined && j.after !== undefined && r.atomic(j.before, j.after)));
    const done = all.filter((j, n) => !surelyFailed(j, n));
    if (done.length === 0) {
      report.alreadyAsBefore++;
      return;
    }
    // The state before the run is the first intent's before, whichever intents were done.
    const intents: Journaled<T>[] = [{ ...done[0]!, before: first }, ...done.slice(1)];
    const ignore = ignoreRules(t);
    const live = await r.read(client, t.domain, ctx);
    const state = r.classify(live, intents, t.domain, ignore);
    if (state === "before") {
      report.alreadyAsBefore++;
      return;
    }
    if (state === "other") {
      report.notRestorable.push({
        domain: t.domain,
        section: t.section,
        reason:
          "changed since the run by something else (live matches neither the before nor what the run wrote); not overwritten",
      });
      return;
    }
    const restored = r.restoring ? r.restoring(first, live, t.domain, ignore) : first;
    const refused = r.refuse?.(restored, live, t.domain);
    if (refused) {
      report.notRestorable.push({ domain: t.domain, section: t.section, reason: refused });
      return;
    }
    journal.append({ ...base, phase: "intent", before: live, after: restored, ...(ignore.length ? { ignore } : {}) });
    await r.restore(client, t.domain, restored, live);
    journal.append({ ...base, phase: "ok" });
    report.restored++;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    journal.append({ ...base, phase: "failed", error: message });
    report.failed.push({ domain: t.domain, section: t.section, message });
  }
}

export async function rollbackRun(
  client: Registrar,
  run: string,
  entries: JournalEntry[],
  journal: Journal,
  ctx: ReadContext = {},
): Promise<RollbackReport> {
  const touched = touchedSections(entries);
  const report: RollbackReport = {
    version: 1,
    run,
    changes: entries.filter((e) => e.phase === "intent").length,
    attempts: new Set(entries.map((e) => e.attempt ?? 1)).size,
    restored: 0,
    alreadyAsBefore: 0,
    failed: [],
    notReversible: [],
    notRestorable: [],
  };
  const purchased = new Set(
    touched.filter((t) => sectionNamed(t.section)?.purchase && t.possiblyDone).map((t) => t.domain),
  );
  // Newest first, one section at a time.
  for (const t of touched) {
    const section = sectionNamed(t.section);
    const rollback = section?.rollback;
    if (!rollback || "irreversible" in rollback) {
      if (t.possiblyDone)
        report.notReversible.push({
          domain: t.domain,
          section: t.section,
          reason: rollback?.irreversible ?? "unknown section",
        });
      continue;
    }
    const first = t.intents[0]!.before;
    if (purchased.has(t.domain) || first === null || first === undefined) {
      if (t.possiblyDone)
        report.notReversible.push({
          domain: t.domain,
          section: t.section,
          reason: purchased.has(t.domain)
            ? "set up on a domain this run bought; there is no earlier value"
            : "the section was new (no earlier value)",
        });
      continue;
    }
    await rollbackSection(client, rollback, t, journal, report, ctx);
  }
  return report;
}
