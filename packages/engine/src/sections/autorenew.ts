import * as v from "valibot";
import type { SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    autorenew: { after: boolean; asserted: true };
  }
}

export const autorenew: SectionModule<"autorenew"> = {
  name: "autorenew",
  action: "SetAutoRenew",
  money: false,
  destructive: false,
  writeOnly: true,
  change: { after: v.boolean(), asserted: v.literal(true) },
  manifest: { place: 3, fields: { autorenew: v.optional(v.boolean()) } },
  plan: {
    diff: ({ phase, desired: d }) =>
      d.autorenew !== undefined && phase !== "delete"
        ? { section: "autorenew", after: d.autorenew, asserted: true }
        : undefined,
    waiting: (d) => (d.autorenew !== undefined ? "autorenew" : undefined),
  },
  show: (c, paint) => [paint.dim(`  autorenew: ${c.after} (asserted; the API has no getter)`)],
  write: (client, d, c) => client.setAutoRenew(d.name, c.after),
  journalBefore: () => undefined,
  journalAfter: (c) => c.after,
  rollback: { irreversible: "autorenew has no getter, so its earlier value is unknown" },
  export: { notExported: "write-only: no getter says what it is" },
};
