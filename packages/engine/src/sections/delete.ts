import type { SectionModule } from "./section.js";

export const del: SectionModule<"delete"> = {
  name: "delete",
  action: "RequestDelete",
  money: false,
  destructive: true,
  writeOnly: false,
  plan: {
    diff: ({ phase, live }) => (phase === "delete" && live.exists ? { section: "delete" } : undefined),
  },
  show: (_c, paint) => [paint.red("- delete (RequestDelete)")],
  write: (client, d) => client.requestDelete(d.name),
  journalBefore: () => undefined,
  journalAfter: () => null,
  rollback: { irreversible: "a deleted domain cannot be restored through the API" },
  export: { notExported: "an action, not a state: a manifest asks for it" },
};
