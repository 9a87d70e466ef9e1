import type { SectionModule } from "./section.js";

export const idprotection: SectionModule<"idprotection"> = {
  name: "idprotection",
  action: "IDProtectToggle",
  money: false,
  destructive: false,
  writeOnly: true,
  plan: {
    diff: ({ phase, desired: d }) =>
      d.idprotection !== undefined && phase !== "delete"
        ? { section: "idprotection", after: d.idprotection, asserted: true }
        : undefined,
    waiting: (d) => (d.idprotection !== undefined ? "idprotection" : undefined),
  },
  show: (c, paint) => [paint.dim(`  idprotection: ${c.after} (asserted; the API has no getter)`)],
  write: (client, d, c) => client.setIdProtection(d.name, c.after),
  journalBefore: () => undefined,
  journalAfter: (c) => c.after,
  rollback: { irreversible: "idprotection has no getter, so its earlier value is unknown" },
  export: { notExported: "write-only: no getter says what it is" },
};
