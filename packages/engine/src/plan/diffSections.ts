/** Diffs the section modules share, on normalized values so plans carry no noise. */
import { addYears, type ContactSet, type DnsRecord, type Forwarding, isMxLike, type Registrant } from "@regdom/core";
import {
  compareForwardings,
  compareRecords,
  normalizeForwarding,
  normalizeHostname,
  normalizeRecord,
  normalizeRegistrant,
  recordKey,
} from "@regdom/manifest";
import type { ChangeOf } from "../sections/section.js";

export function diffNameservers(live: string[], desired: string[]): ChangeOf<"nameservers"> | undefined {
  const norm = (l: string[]) => [...new Set(l.map(normalizeHostname))].sort();
  const a = norm(live);
  const b = norm(desired);
  if (a.length === b.length && a.every((x, i) => x === b[i])) return undefined;
  return { section: "nameservers", before: live, after: desired };
}

/** Only the fields that differ; the whole contact set rides along so nothing else is cleared. */
export function diffRegistrant(
  live: Registrant,
  desired: Registrant,
  contacts: ContactSet = {},
): ChangeOf<"registrant"> | undefined {
  const l = normalizeRegistrant(live);
  const before: Registrant = {};
  const after: Registrant = {};
  for (const [k, v] of Object.entries(desired) as [keyof Registrant, string][]) {
    if ((l[k] ?? "") === v) continue;
    before[k] = live[k] ?? "";
    after[k] = v;
  }
  return Object.keys(after).length ? { section: "registrant", before, after, contacts } : undefined;
}

/** Multiset difference by key. */
function minus<T>(a: T[], b: T[], key: (x: T) => string): T[] {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(key(x), (counts.get(key(x)) ?? 0) + 1);
  const out: T[] = [];
  for (const x of a) {
    const k = key(x);
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else out.push(x);
  }
  return out;
}

export function normalizeLiveDns(live: DnsRecord[], domainAce: string): DnsRecord[] {
  return live.map((r) => normalizeRecord(r, domainAce)).sort(compareRecords);
}

/** `before` keeps the records exactly as read, so a rollback puts back the very same zone. */
export function diffDns(live: DnsRecord[], desired: DnsRecord[], domainAce: string): ChangeOf<"dns"> | undefined {
  const normalized = normalizeLiveDns(live, domainAce);
  const after = [...desired].sort(compareRecords);
  const add = minus(after, normalized, recordKey);
  const remove = minus(normalized, after, recordKey);
  if (add.length === 0 && remove.length === 0) return undefined;
  // A removal and an addition of the same host and type read better as one modification.
  const modify: { from: DnsRecord; to: DnsRecord }[] = [];
  const restAdd: DnsRecord[] = [];
  const pool = [...remove];
  for (const a of add) {
    const i = pool.findIndex((r) => r.host === a.host && r.type === a.type);
    if (i >= 0 && (isMxLike(a.type) ? pool[i]!.address === a.address || pool[i]!.priority === a.priority : true)) {
      modify.push({ from: pool[i]!, to: a });
      pool.splice(i, 1);
    } else restAdd.push(a);
  }
  return { section: "dns", before: live, after, add: restAdd, remove: pool, modify };
}

export function diffForwarding(live: Forwarding[], desired: Forwarding[]): ChangeOf<"forwarding"> | undefined {
  const key = (f: Forwarding) => `${f.prefix}\u0000${f.to}`;
  const before = live.map(normalizeForwarding).sort(compareForwardings);
  const after = [...desired].sort(compareForwardings);
  const add = minus(after, before, key);
  const remove = minus(before, after, key);
  if (add.length === 0 && remove.length === 0) return undefined;
  return { section: "forwarding", before, after, add, remove };
}

/** Registries renew at most this many years at a time. */
export const MAX_RENEW_YEARS = 10;

/**
 * The fewest whole years that bring `expiry` to at least `target` (both YYYY-MM-DD). Counts past
 * MAX_RENEW_YEARS (up to one more), so a caller can refuse a target that no renewal reaches.
 */
export function yearsToReach(expiry: string, target: string): number {
  if (expiry >= target) return 0;
  let years = 0;
  let d = expiry;
  while (d < target && years <= MAX_RENEW_YEARS) {
    years += 1;
    d = addYears(expiry, years);
  }
  return years;
}
