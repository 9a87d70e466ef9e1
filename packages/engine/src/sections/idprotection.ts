import type { SectionModule } from "./section.js";

export const idprotection: SectionModule<"idprotection"> = {
  name: "idprotection",
  action: "IDProtectToggle",
  money: false,
  destructive: false,
  writeOnly: true,
  write: (client, d, c) => client.setIdProtection(d.name, c.after),
  journalBefore: () => undefined,
  journalAfter: (c) => c.after,
  rollback: { irreversible: "idprotection has no getter, so its earlier value is unknown" },
};
