/**
 * Puts back what a run may have changed. Every intent in the journal counts as possibly done
 * (a write killed mid-way, or done by an attempt that was then resumed, has an intent and no
 * outcome), so rollback reads each changed section live and compares it with the intents:
 * - live equals the section's first `before`: nothing to do;
 * - live equals what some attempt wrote (an `after`, or a later intent's `before`): restore the first `before`;
 * - anything else: someone changed it since; listed as not restorable (exit 1), never overwritten.
 * Purchases, deletions, autorenew and idprotection (no getter, so no known before) cannot be put back.
 */

import type { ContactSet, DnsRecord, Forwarding, Registrant } from "@regdom/core";
import { registrantOf } from "@regdom/core";
import {
  compareForwardings,
  type IgnoreRule,
  normalizeForwarding,
  normalizeHostname,
  normalizeRegistrant,
} from "@regdom/manifest";
import { normalizeLiveDns } from "../plan/diffSections.js";
import { ignoredRecords, managedRecords } from "../plan/ignoredRecords.js";
import type { Registrar } from "../registrar.js";
import type { Journal, JournalEntry } from "./journal.js";
import { setLockChecked } from "./setLockChecked.js";

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

const IRREVERSIBLE: Record<string, string> = {
  register: "a registration is a purchase; delete the domain by hand if you must",
  transfer: "a transfer is a purchase",
  renew: "a renewal is a purchase",
  delete: "a deleted domain cannot be restored through the API",
  autorenew: "autorenew has no getter, so its earlier value is unknown",
  idprotection: "idprotection has no getter, so its earlier value is unknown",
};

const RESTORABLE = new Set(["nameservers", "lock", "registrant", "dns", "forwarding"]);

/** One section of one domain that the run touched: its intents, oldest first. */
interface Touched {
  domain: string;
  section: string;
  intents: JournalEntry[];
  /** Some intent of it has an ok outcome, or none at all (possibly done). */
  possiblyDone: boolean;
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
      const t = bySection.get(key) ?? { domain: e.domain, section: e.section, intents: [], possiblyDone: false };
      t.intents.push(e);
      // Re-inserted, so the map is ordered by each section's newest intent.
      bySection.delete(key);
      bySection.set(key, t);
      open.set(attemptKey, e);
    } else if (open.has(attemptKey)) {
      if (e.phase === "failed") failed.add(open.get(attemptKey)!);
      open.delete(attemptKey);
    }
  }
  for (const t of bySection.values()) t.possiblyDone = t.intents.some((i) => !failed.has(i));
  return [...bySection.values()].reverse();
}

/** The dns_ignore rules of a section's intents: records they cover were never the run's. */
function ignoreRules(t: Touched): IgnoreRule[] {
  return t.section === "dns" ? t.intents.flatMap((i) => i.ignore ?? []) : [];
}

/**
 * A section's value in a form where equal means equal (order, case and spelling noise removed);
 * for dns, without the records that dns_ignore leaves to others (an ACME challenge renews on its own).
 */
function canonical(section: string, value: unknown, domain: string, ignore: IgnoreRule[] = []): string {
  switch (section) {
    case "nameservers":
      return JSON.stringify([...new Set((value as string[]).map(normalizeHostname))].sort());
    case "dns":
      return JSON.stringify(normalizeLiveDns(managedRecords(value as DnsRecord[], ignore, domain), domain));
    case "forwarding":
      return JSON.stringify((value as Forwarding[]).map(normalizeForwarding).sort(compareForwardings));
    default:
      return JSON.stringify(value);
  }
}

const isContactSet = (v: unknown): v is ContactSet =>
  !!v && typeof v === "object" && Object.values(v).every((x) => !!x && typeof x === "object");

/** Whether the live registrant holds every field of `fields` (a registrant, or a whole contact set). */
function registrantMatches(live: ContactSet, fields: unknown): boolean {
  const want = normalizeRegistrant(isContactSet(fields) ? registrantOf(fields) : (fields as Registrant));
  const have = normalizeRegistrant(registrantOf(live));
  return Object.entries(want).every(([k, v]) => (have[k as keyof Registrant] ?? "") === v);
}

async function readSection(client: Registrar, domain: string, section: string): Promise<unknown> {
  switch (section) {
    case "nameservers":
      return client.getNameservers(domain);
    case "lock":
      return client.getLock(domain);
    case "registrant":
      return client.getContacts(domain);
    case "dns":
      return client.getDns(domain);
    default:
      return client.getEmailForwarding(domain);
  }
}

async function restore(client: Registrar, domain: string, section: string, before: unknown): Promise<void> {
  switch (section) {
    case "nameservers":
      return client.saveNameservers(domain, before as string[]);
    case "lock":
      // Read back once, as apply does: a success that changed nothing fails the domain.
      return setLockChecked(client, domain, before as boolean);
    case "registrant":
      // The whole set as read before the run; a journal of an older version holds only the registrant.
      return isContactSet(before)
        ? client.saveContacts(domain, before)
        : client.saveContactDetails(domain, before as Registrant);
    case "dns":
      return client.saveDns(domain, before as DnsRecord[]);
    case "forwarding":
      return client.saveEmailForwarding(domain, before as Forwarding[]);
    default:
      throw new Error(`cannot restore section ${section}`);
  }
}

/** Compares live with the intents: "before", "written" (by some attempt), or "other" (changed since). */
function classify(t: Touched, live: unknown): "before" | "written" | "other" {
  const first = t.intents[0]!.before;
  if (t.section === "registrant") {
    const set = live as ContactSet;
    if (
      isContactSet(first)
        ? canonical("x", first, t.domain) === canonical("x", set, t.domain)
        : registrantMatches(set, first)
    )
      return "before";
    return t.intents.some((i) => registrantMatches(set, i.after)) ? "written" : "other";
  }
  const ignore = ignoreRules(t);
  const now = canonical(t.section, live, t.domain, ignore);
  if (now === canonical(t.section, first, t.domain, ignore)) return "before";
  const seen = t.intents.flatMap((i) => [i.after, i.before]).filter((v) => v !== undefined && v !== null);
  return seen.some((v) => canonical(t.section, v, t.domain, ignore) === now) ? "written" : "other";
}

export async function rollbackRun(
  client: Registrar,
  run: string,
  entries: JournalEntry[],
  journal: Journal,
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
    touched
      .filter((t) => (t.section === "register" || t.section === "transfer") && t.possiblyDone)
      .map((t) => t.domain),
  );
  // Newest first, one section at a time.
  for (const t of touched) {
    const irreversible = IRREVERSIBLE[t.section];
    if (irreversible || !RESTORABLE.has(t.section)) {
      if (t.possiblyDone)
        report.notReversible.push({ domain: t.domain, section: t.section, reason: irreversible ?? "unknown section" });
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
    const base = { domain: t.domain, section: t.section, action: `rollback ${t.intents[0]!.action}` };
    try {
      const live = await readSection(client, t.domain, t.section);
      const state = classify(t, live);
      if (state === "before") {
        report.alreadyAsBefore++;
        continue;
      }
      if (state === "other") {
        report.notRestorable.push({
          domain: t.domain,
          section: t.section,
          reason:
            "changed since the run by something else (live matches neither the before nor what the run wrote); not overwritten",
        });
        continue;
      }
      // What dns_ignore leaves to others goes back as it is now, not as it was before the run.
      const ignore = ignoreRules(t);
      const restored = ignore.length
        ? [
            ...managedRecords(first as DnsRecord[], ignore, t.domain),
            ...ignoredRecords(live as DnsRecord[], ignore, t.domain),
          ]
        : first;
      journal.append({ ...base, phase: "intent", before: live, after: restored, ...(ignore.length ? { ignore } : {}) });
      await restore(client, t.domain, t.section, restored);
      journal.append({ ...base, phase: "ok" });
      report.restored++;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      journal.append({ ...base, phase: "failed", error: message });
      report.failed.push({ domain: t.domain, section: t.section, message });
    }
  }
  return report;
}
