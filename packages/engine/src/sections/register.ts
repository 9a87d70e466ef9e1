import { purchaseOptions } from "./purchase.js";
import type { SectionModule } from "./section.js";

export const register: SectionModule<"register"> = {
  name: "register",
  action: "RegisterDomain",
  money: true,
  destructive: false,
  writeOnly: false,
  write: (client, d, c) => client.registerDomain(d.name, purchaseOptions(d, c)),
  journalBefore: () => undefined,
  journalAfter: (c) => ({ years: c.years, owner: c.owner }),
  rollback: { irreversible: "a registration is a purchase; delete the domain by hand if you must" },
};
