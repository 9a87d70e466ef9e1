import { normalizeHostname } from "@regdom/manifest";
import * as v from "valibot";
import { diffNameservers } from "../plan/diffSections.js";
import { carriesNameservers } from "./purchase.js";
import { classifyBy, type SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    nameservers: { before: string[]; after: string[] };
  }
  interface LiveBySection {
    nameservers: string[];
  }
}

export const nameservers: SectionModule<"nameservers", string[]> = {
  name: "nameservers",
  action: "SaveNameservers",
  money: false,
  destructive: false,
  writeOnly: false,
  change: { before: v.array(v.string()), after: v.array(v.string()) },
  manifest: { place: 1, fields: { nameservers: v.optional(v.array(v.string())) } },
  // Not sent to hosts whose glue failed to be written.
  requires: ["glue"],
  live: {
    managed: (d) => d.nameservers !== undefined,
    async read(client, domain, into) {
      into.nameservers = await client.getNameservers(domain);
    },
    fingerprint: (live) => live.nameservers?.map(normalizeHostname).sort(),
  },
  plan: {
    diff({ phase, desired: d, live }) {
      if (!d.nameservers || phase === "delete") return undefined;
      if (phase === "create") return { section: "nameservers", before: [], after: d.nameservers };
      return live.nameservers ? diffNameservers(live.nameservers, d.nameservers) : undefined;
    },
    waiting: (d) => (d.nameservers ? "nameservers" : undefined),
  },
  show: (c, paint) => [paint.yellow(`~ nameservers: ${c.before.join(", ") || "(none)"} -> ${c.after.join(", ")}`)],
  delegates: (c) => c.after,
  // A purchase sends the nameservers with it, except a registration's that need glue first.
  carried: (d) => carriesNameservers(d.desired),
  write: (client, d, c) => client.saveNameservers(d.name, c.after),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: {
    value: v.array(v.string()),
    read: (client, domain) => client.getNameservers(domain),
    classify: classifyBy((list) => JSON.stringify([...new Set(list.map(normalizeHostname))].sort())),
    restore: (client, domain, list) => client.saveNameservers(domain, list),
  },
  export: {
    place: 1,
    toManifest(live, d) {
      if (live.nameservers) d.nameservers = live.nameservers.map(normalizeHostname);
    },
  },
};
