import type { SectionModule } from "./section.js";

export const autorenew: SectionModule<"autorenew"> = {
  name: "autorenew",
  action: "SetAutoRenew",
  money: false,
  destructive: false,
  writeOnly: true,
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
