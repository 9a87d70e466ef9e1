import type { DnsRecord } from "@regdom/core";
import * as v from "valibot";
import { normalizeLiveDns } from "../plan/diffSections.js";
import { ignoredRecords, managedRecords } from "../plan/ignoredRecords.js";
import { classifyBy, type SectionModule } from "./section.js";

const record = v.strictObject({
  host: v.string(),
  type: v.string(),
  address: v.string(),
  priority: v.nullable(v.number()),
});

export const dns: SectionModule<"dns", DnsRecord[]> = {
  name: "dns",
  action: "SaveDNS",
  money: false,
  destructive: false,
  writeOnly: false,
  live: {
    managed: (d) => d.dns !== undefined,
    async read(client, domain, into) {
      into.dns = await client.getDns(domain);
    },
  },
  write: (client, d, c) => client.saveDns(d.name, c.after),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: {
    value: v.array(record),
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
};
