import { compareForwardings, normalizeForwarding } from "@regdom/manifest";
import * as v from "valibot";
import { classifyBy, type SectionModule } from "./section.js";

export const forwarding: SectionModule<"forwarding", { prefix: string; to: string }[]> = {
  name: "forwarding",
  action: "SaveEmailForwarding",
  money: false,
  destructive: false,
  writeOnly: false,
  live: {
    managed: (d) => d.forwarding !== undefined,
    async read(client, domain, into) {
      into.forwarding = await client.getEmailForwarding(domain);
    },
  },
  write: (client, d, c) => client.saveEmailForwarding(d.name, c.after),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: {
    value: v.array(v.strictObject({ prefix: v.string(), to: v.string() })),
    read: (client, domain) => client.getEmailForwarding(domain),
    classify: classifyBy((list) => JSON.stringify(list.map(normalizeForwarding).sort(compareForwardings))),
    restore: (client, domain, list) => client.saveEmailForwarding(domain, list),
  },
};
