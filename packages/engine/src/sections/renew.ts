import type { SectionModule } from "./section.js";

export const renew: SectionModule<"renew"> = {
  name: "renew",
  action: "RenewDomain",
  money: true,
  destructive: false,
  writeOnly: false,
  write: (client, d, c) => client.renewDomain(d.name, c.years),
  journalBefore: (c) => ({ expiry: c.expiry }),
  journalAfter: (c) => ({ years: c.years, target: c.target }),
  rollback: { irreversible: "a renewal is a purchase" },
};
