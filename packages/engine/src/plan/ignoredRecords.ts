/**
 * Records managed elsewhere (dns_ignore) are outside every comparison: the plan's diff, the
 * fingerprint that makes a saved plan stale, and rollback's "changed by something else". Only
 * what regdom manages is compared; what is ignored goes back as it is live at the time.
 */
import type { DnsRecord } from "@regdom/core";
import { type IgnoreRule, ignoredBy, normalizeRecord } from "@regdom/manifest";

/** The records no rule covers (all of them without rules). */
export function managedRecords(records: DnsRecord[], rules: readonly IgnoreRule[] | undefined, domainAce: string) {
  if (!rules?.length) return records;
  return records.filter((r) => !ignoredBy(rules, normalizeRecord(r, domainAce)));
}

/** The records some rule covers. */
export function ignoredRecords(records: DnsRecord[], rules: readonly IgnoreRule[] | undefined, domainAce: string) {
  if (!rules?.length) return [];
  return records.filter((r) => ignoredBy(rules, normalizeRecord(r, domainAce)));
}
