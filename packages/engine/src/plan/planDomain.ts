/** Decides what apply must do for one domain, from its desired sections and the live state read. */
import { createHash } from "node:crypto";
import { addYears, type DnsRecord, type Owner } from "@regdom/core";
import {
  compareForwardings,
  type DesiredDomain,
  type IgnoreRule,
  ignoredBy,
  normalizeForwarding,
  normalizeHostname,
  normalizeRecord,
  normalizeRegistrant,
  type Purchase,
  type PurchaseExtras,
} from "@regdom/manifest";
import {
  diffDns,
  diffForwarding,
  diffNameservers,
  diffRegistrant,
  MAX_RENEW_YEARS,
  normalizeLiveDns,
  yearsToReach,
} from "./diffSections.js";
import { managedRecords } from "./ignoredRecords.js";
import { type Change, type DomainPlan, isDrift, type LiveState, type PurchaseSent } from "./model.js";

/** A stable digest of what was read, normalized so that noise does not make a plan stale. */
export function fingerprint(live: LiveState, domainAce: string, ignore?: readonly IgnoreRule[]): string {
  // Records managed elsewhere (dns_ignore) change on their own (an ACME challenge): not a move.
  const dns = live.dns && managedRecords(live.dns, ignore, domainAce);
  const canonical = {
    exists: live.exists,
    nameservers: live.nameservers?.map(normalizeHostname).sort(),
    lock: live.lock,
    registrant: live.registrant ? normalizeRegistrant(live.registrant) : undefined,
    dns: dns ? normalizeLiveDns(dns, domainAce) : undefined,
    forwarding: live.forwarding?.map(normalizeForwarding).sort(compareForwardings),
    expiry: live.sync?.expiryDate,
    status: live.sync?.status,
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex").slice(0, 32);
}

/**
 * A host of digits in the manifest where the live zone has the same number with leading zeros
 * (007 became 7): the mark of a spreadsheet that read the column as numbers.
 */
function leadingZeroNotes(live: DnsRecord[], desired: DnsRecord[]): string[] {
  const liveHosts = new Set(live.map((r) => r.host.toLowerCase()));
  const notes = new Set<string>();
  for (const r of desired) {
    if (!/^\d+$/.test(r.host) || liveHosts.has(r.host)) continue;
    for (const h of liveHosts)
      if (/^0+\d+$/.test(h) && Number(h) === Number(r.host))
        notes.add(
          `warning: host "${r.host}" may be the live "${h}" with its leading zeros dropped by a spreadsheet; format the column as text, or use XLSX`,
        );
  }
  return [...notes];
}

/** The extras a purchase sends: the owner profile's, with the domain's own laid over them key by key. */
function purchaseSent(
  p: Purchase,
  owners: Record<string, Owner>,
  extras: Record<string, PurchaseExtras>,
): PurchaseSent {
  const base = extras[p.owner] ?? {};
  const out: PurchaseSent = {};
  const admin = p.admin ?? base.admin;
  if (admin) {
    out.admin = admin;
    out.adminProfile = owners[admin] ?? {};
  }
  const df = { ...(base.domainfields ?? {}), ...(p.domainfields ?? {}) };
  if (Object.keys(df).length) out.domainfields = df;
  for (const k of ["idprotection", "dnsmanagement", "emailforwarding"] as const) {
    const v = p[k] ?? base[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function planDomain(
  d: DesiredDomain,
  live: LiveState,
  owners: Record<string, Owner>,
  today: string = new Date().toISOString().slice(0, 10),
  ownerExtras: Record<string, PurchaseExtras> = {},
): DomainPlan {
  const changes: Change[] = [];
  const notes: string[] = [];
  const base = {
    name: d.name,
    display: d.display,
    desired: d,
    fingerprint: fingerprint(live, d.name, d.dns ? d.dnsIgnore : undefined),
    notes,
  };

  if (d.state === "deleted") {
    if (live.exists) changes.push({ section: "delete" });
    return { ...base, action: live.exists ? "delete" : "none", changes };
  }

  if (!live.exists) {
    if (d.register)
      changes.push({
        section: "register",
        years: d.register.years,
        owner: d.register.owner,
        profile: owners[d.register.owner] ?? {},
        expiryAfter: addYears(today, d.register.years),
        ...purchaseSent(d.register, owners, ownerExtras),
      });
    else if (d.transfer)
      changes.push({
        section: "transfer",
        years: d.transfer.years,
        owner: d.transfer.owner,
        profile: owners[d.transfer.owner] ?? {},
        ...purchaseSent(d.transfer, owners, ownerExtras),
        ...(d.transfer.authcode !== undefined ? { authcode: d.transfer.authcode } : {}),
      });
    else
      return {
        ...base,
        action: "error",
        changes,
        error: "not in the account (give register or transfer to create it)",
      };
    // After the purchase, every other managed section is written onto the fresh domain.
    if (d.nameservers) changes.push({ section: "nameservers", before: [], after: d.nameservers });
    if (d.lock !== undefined) changes.push({ section: "lock", before: null, after: d.lock });
    if (d.registrant) changes.push({ section: "registrant", before: {}, after: d.registrant, contacts: {} });
    if (d.dns) {
      const c = diffDns([], d.dns, d.name);
      if (c) changes.push(c);
    }
    if (d.forwarding) {
      const c = diffForwarding([], d.forwarding);
      if (c) changes.push(c);
    }
    if (d.autorenew !== undefined) changes.push({ section: "autorenew", after: d.autorenew, asserted: true });
    if (d.idprotection !== undefined) changes.push({ section: "idprotection", after: d.idprotection, asserted: true });
    if (d.expiresNotBefore)
      notes.push("expires_not_before is checked on the next run, once the new expiry date is known");
    return { ...base, action: "create", changes };
  }

  if (live.sync?.status && /pending/i.test(live.sync.status)) {
    notes.push(`status is "${live.sync.status}": other sections wait until the transfer completes`);
    return { ...base, action: "none", changes, waitingForTransfer: true };
  }

  if (d.expiresNotBefore) {
    const expiry = live.sync?.expiryDate;
    if (!expiry)
      return {
        ...base,
        action: "error",
        changes,
        error: "Sync gave no expiry date, so expires_not_before cannot be checked",
      };
    const years = yearsToReach(expiry, d.expiresNotBefore);
    if (years > MAX_RENEW_YEARS)
      return {
        ...base,
        action: "error",
        changes,
        inputError: true,
        error: `expires_not_before ${d.expiresNotBefore} needs more than ${MAX_RENEW_YEARS} years of renewal from the expiry ${expiry}; registries renew at most ${MAX_RENEW_YEARS} years`,
      };
    if (years > 0)
      changes.push({
        section: "renew",
        years,
        expiry,
        target: d.expiresNotBefore,
        expiryAfter: addYears(expiry, years),
      });
  }
  if (d.nameservers && live.nameservers) {
    const c = diffNameservers(live.nameservers, d.nameservers);
    if (c) changes.push(c);
  }
  if (d.lock !== undefined && live.lock === null)
    notes.push(
      `warning: the registrar offers no lock for this domain (DomainGetLockingStatus answers "Unknown"): lock: ${d.lock} is not sent`,
    );
  else if (d.lock !== undefined && live.lock !== undefined && d.lock !== live.lock)
    changes.push({ section: "lock", before: live.lock, after: d.lock });
  if (d.registrant && live.registrant) {
    const c = diffRegistrant(live.registrant, d.registrant, live.contacts);
    if (c) changes.push(c);
  }
  if (d.dns && live.dns) {
    // Records managed elsewhere (dns_ignore) are neither diffed nor counted, and go back as read.
    const rules = d.dnsIgnore ?? [];
    const kept = rules.length ? live.dns.filter((r) => ignoredBy(rules, normalizeRecord(r, d.name))) : [];
    const managedLive = kept.length ? live.dns.filter((r) => !kept.includes(r)) : live.dns;
    const desired = rules.length ? d.dns.filter((r) => !ignoredBy(rules, r)) : d.dns;
    const c = diffDns(managedLive, desired, d.name);
    if (c && c.section === "dns") {
      if (kept.length) {
        c.before = live.dns;
        c.after = [...c.after, ...kept];
        c.kept = kept;
      }
      changes.push(c);
    }
    if (kept.length) notes.push(`kept ${kept.length} live record(s) managed elsewhere (dns_ignore)`);
    notes.push(...leadingZeroNotes(live.dns, d.dns));
  }
  if (d.forwarding && live.forwarding) {
    const c = diffForwarding(live.forwarding, d.forwarding);
    if (c) changes.push(c);
  }
  if (d.autorenew !== undefined) changes.push({ section: "autorenew", after: d.autorenew, asserted: true });
  if (d.idprotection !== undefined) changes.push({ section: "idprotection", after: d.idprotection, asserted: true });
  return { ...base, action: changes.some(isDrift) ? "update" : "none", changes };
}
