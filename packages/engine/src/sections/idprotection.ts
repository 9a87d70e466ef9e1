import * as v from "valibot";
import type { SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    idprotection: { after: boolean; asserted: true };
  }
}

export const idprotection: SectionModule<"idprotection"> = {
  name: "idprotection",
  action: "IDProtectToggle",
  money: false,
  destructive: false,
  writeOnly: true,
  change: { after: v.boolean(), asserted: v.literal(true) },
  manifest: { place: 4, fields: { idprotection: v.optional(v.boolean()) } },
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
