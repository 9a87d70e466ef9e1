/**
 * Puts back the `before` of every change a run made, newest first, journaled like an apply.
 * Purchases, deletions and autorenew (no getter, so no known before) cannot be put back.
 */
import type { RegistrarClient } from "../client/registrarClient.js";
import type { DnsRecord, Forwarding, Registrant } from "../client/types.js";
import type { Journal, JournalEntry } from "./journal.js";

export interface RollbackReport {
  version: 1;
  run: string;
  restored: number;
  failed: { domain: string; section: string; message: string }[];
  notReversible: { domain: string; section: string; reason: string }[];
}

const IRREVERSIBLE: Record<string, string> = {
  register: "a registration is a purchase; delete the domain by hand if you must",
  transfer: "a transfer is a purchase",
  renew: "a renewal is a purchase",
  delete: "a deleted domain cannot be restored through the API",
  autorenew: "autorenew has no getter, so its earlier value is unknown",
};

/** The `ok` writes of a journal, each with the before of its intent, newest first. */
export function reversibleWrites(entries: JournalEntry[]): { intent: JournalEntry; irreversible?: string }[] {
  const intents = new Map<string, JournalEntry>();
  const out: { intent: JournalEntry; irreversible?: string }[] = [];
  const purchased = new Set(entries.filter((e) => e.phase === "ok" && (e.section === "register" || e.section === "transfer")).map((e) => e.domain));
  for (const e of entries) {
    const key = `${e.domain}\u0000${e.section}`;
    if (e.phase === "intent") intents.set(key, e);
    else if (e.phase === "ok") {
      const intent = intents.get(key);
      if (!intent) continue;
      const reason = IRREVERSIBLE[e.section] ?? (purchased.has(e.domain) ? "set up on a domain this run bought; there is no earlier value" : undefined);
      out.push({ intent, ...(reason ? { irreversible: reason } : {}) });
    }
  }
  return out.reverse();
}

async function restore(client: RegistrarClient, e: JournalEntry): Promise<void> {
  switch (e.section) {
    case "nameservers":
      return client.saveNameservers(e.domain, e.before as string[]);
    case "lock":
      return client.setLock(e.domain, e.before as boolean);
    case "registrant":
      return client.saveContactDetails(e.domain, e.before as Registrant);
    case "dns":
      return client.saveDns(e.domain, e.before as DnsRecord[]);
    case "forwarding":
      return client.saveEmailForwarding(e.domain, e.before as Forwarding[]);
    default:
      throw new Error(`cannot restore section ${e.section}`);
  }
}

export async function rollbackRun(client: RegistrarClient, run: string, entries: JournalEntry[], journal: Journal): Promise<RollbackReport> {
  const report: RollbackReport = { version: 1, run, restored: 0, failed: [], notReversible: [] };
  // Newest first, one at a time per domain, so a section changed twice ends at its first before.
  for (const { intent, irreversible } of reversibleWrites(entries)) {
    if (irreversible || intent.before === null || intent.before === undefined) {
      report.notReversible.push({ domain: intent.domain, section: intent.section, reason: irreversible ?? "the section was new (no earlier value)" });
      continue;
    }
    const base = { domain: intent.domain, section: intent.section, action: `rollback ${intent.action}` };
    journal.append({ ...base, phase: "intent", before: intent.after, after: intent.before });
    try {
      await restore(client, intent);
      journal.append({ ...base, phase: "ok" });
      report.restored++;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      journal.append({ ...base, phase: "failed", error: message });
      report.failed.push({ domain: intent.domain, section: intent.section, message });
    }
  }
  return report;
}
