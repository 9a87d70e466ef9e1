import { normalizeHostname } from "@regdom/manifest";
import * as v from "valibot";
import { classifyBy, type SectionModule } from "./section.js";

export const nameservers: SectionModule<"nameservers", string[]> = {
  name: "nameservers",
  action: "SaveNameservers",
  money: false,
  destructive: false,
  writeOnly: false,
  live: {
    managed: (d) => d.nameservers !== undefined,
    async read(client, domain, into) {
      into.nameservers = await client.getNameservers(domain);
    },
  },
  write: (client, d, c) => client.saveNameservers(d.name, c.after),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: {
    value: v.array(v.string()),
    read: (client, domain) => client.getNameservers(domain),
    classify: classifyBy((list) => JSON.stringify([...new Set(list.map(normalizeHostname))].sort())),
    restore: (client, domain, list) => client.saveNameservers(domain, list),
  },
};
