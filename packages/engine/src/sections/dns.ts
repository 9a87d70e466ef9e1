import type { DnsRecord } from "@regdom/core";
import { fields as f, ignoredBy, normalizeRecord } from "@regdom/manifest";
import * as v from "valibot";
import { sayLiveShape } from "../export/liveShape.js";
import { diffDns, normalizeLiveDns } from "../plan/diffSections.js";
import { ignoredRecords, managedRecords } from "../plan/ignoredRecords.js";
import { classifyBy, type SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    dns: {
      before: DnsRecord[];
      after: DnsRecord[];
      add: DnsRecord[];
      remove: DnsRecord[];
      modify: { from: DnsRecord; to: DnsRecord }[];
      /** Live records left alone by dns_ignore: never diffed, sent back as read (they are in `after`). */
      kept?: DnsRecord[];
    };
  }
  interface LiveBySection {
    dns: DnsRecord[];
  }
}

/** One record as the API reads and writes it (plan.json and journals hold them so). */
const dnsRecord = v.strictObject({
  host: v.string(),
  type: v.string(),
  address: v.string(),
  priority: v.nullable(v.number()),
});

const rec = (r: DnsRecord) =>
  `${r.host} ${r.type}${r.priority !== null ? ` ${r.priority}` : ""} ${r.type === "TXT" ? JSON.stringify(r.address) : r.address}`;

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

export const dns: SectionModule<"dns", DnsRecord[]> = {
  name: "dns",
  action: "SaveDNS",
  money: false,
  destructive: false,
  writeOnly: false,
  change: {
    before: v.array(dnsRecord),
    after: v.array(dnsRecord),
    add: v.array(dnsRecord),
    remove: v.array(dnsRecord),
    modify: v.array(v.strictObject({ from: dnsRecord, to: dnsRecord })),
    kept: v.optional(v.array(dnsRecord)),
  },
  manifest: {
    place: 6,
    fields: {
      dns: v.optional(v.array(dnsRecord)),
      dnsIgnore: v.optional(v.array(v.strictObject({ host: v.string(), type: v.optional(v.string()) }))),
    },
  },
  live: {
    managed: (d) => d.dns !== undefined,
    async read(client, domain, into) {
      into.dns = await client.getDns(domain);
    },
    // Records managed elsewhere (dns_ignore) change on their own (an ACME challenge): not a move.
    fingerprint: (live, domain, ignore) =>
      live.dns ? normalizeLiveDns(managedRecords(live.dns, ignore, domain), domain) : undefined,
  },
  plan: {
    diff({ phase, desired: d, live, notes }) {
      if (!d.dns || phase === "delete") return undefined;
      if (phase === "create") return diffDns([], d.dns, d.name);
      if (!live.dns) return undefined;
      // Records managed elsewhere (dns_ignore) are neither diffed nor counted, and go back as read.
      const rules = d.dnsIgnore ?? [];
      const kept = rules.length ? live.dns.filter((r) => ignoredBy(rules, normalizeRecord(r, d.name))) : [];
      const managedLive = kept.length ? live.dns.filter((r) => !kept.includes(r)) : live.dns;
      const desired = rules.length ? d.dns.filter((r) => !ignoredBy(rules, r)) : d.dns;
      const c = diffDns(managedLive, desired, d.name);
      if (c && kept.length) {
        c.before = live.dns;
        c.after = [...c.after, ...kept];
        c.kept = kept;
      }
      if (kept.length) notes.push(`kept ${kept.length} live record(s) managed elsewhere (dns_ignore)`);
      notes.push(...leadingZeroNotes(live.dns, d.dns));
      return c;
    },
    waiting: (d) => (d.dns ? "dns" : undefined),
  },
  show: (c, paint) => [
    ...c.remove.map((r) => paint.red(`- dns ${rec(r)}`)),
    ...c.modify.map((m) =>
      paint.yellow(
        `~ dns ${rec(m.from)} -> ${m.to.type === m.from.type && m.to.priority !== m.from.priority && m.to.address === m.from.address ? `priority ${m.to.priority}` : rec(m.to)}`,
      ),
    ),
    ...c.add.map((r) => paint.green(`+ dns ${rec(r)}`)),
  ],
  // A saved plan is compared without the records left to others: they may have moved on their own.
  comparable: (c, rules, domain) =>
    rules?.length
      ? {
          ...c,
          before: managedRecords(c.before, rules, domain),
          after: managedRecords(c.after, rules, domain),
          kept: undefined,
        }
      : c,
  // Records left alone by dns_ignore are not the manifest's: not counted.
  share: (c) => ({
    what: "zone",
    existing: c.before.length - (c.kept?.length ?? 0),
    lost: c.remove.length,
    // A removal paired with an addition at one host is a modification: an update, not a delete.
    updated: c.modify.length,
  }),
  write: (client, d, c) => client.saveDns(d.name, c.after),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  // A dns write says which records it left to others, so a rollback leaves them too.
  journalIgnore: (d) => (d.desired.dnsIgnore?.length ? d.desired.dnsIgnore : undefined),
  rollback: {
    value: v.array(dnsRecord),
    read: (client, domain) => client.getDns(domain),
    // Without the records dns_ignore leaves to others (an ACME challenge renews on its own).
    classify: classifyBy((records, domain, ignore) =>
      JSON.stringify(normalizeLiveDns(managedRecords(records, ignore, domain), domain)),
    ),
    // What dns_ignore leaves to others goes back as it is now, not as it was before the run.
    restoring: (first, live, domain, ignore) =>
      ignore.length ? [...managedRecords(first, ignore, domain), ...ignoredRecords(live, ignore, domain)] : first,
    restore: (client, domain, records) => client.saveDns(domain, records),
  },
  export: {
    place: 3,
    toManifest(live, d, warnings) {
      if (!live.dns) return;
      const records = normalizeLiveDns(live.dns, d.name);
      d.dns = records;
      sayLiveShape(
        d,
        (ref, p) => {
          const checked = records.map((r) => f.dnsRecord(r, d.name, () => ref, p));
          if (checked.every((r) => r !== undefined)) f.checkZone(checked, () => ref, p);
        },
        warnings,
      );
    },
  },
};
