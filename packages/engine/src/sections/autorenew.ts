import type { SectionModule } from "./section.js";

export const autorenew: SectionModule<"autorenew"> = {
  name: "autorenew",
  action: "SetAutoRenew",
  money: false,
  destructive: false,
  writeOnly: true,
  write: (client, d, c) => client.setAutoRenew(d.name, c.after),
  journalBefore: () => undefined,
  journalAfter: (c) => c.after,
  rollback: { irreversible: "autorenew has no getter, so its earlier value is unknown" },
};
