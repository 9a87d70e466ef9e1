import * as v from "valibot";
import type { SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    delete: Record<never, never>;
  }
}

export const del: SectionModule<"delete"> = {
  name: "delete",
  action: "RequestDelete",
  money: false,
  destructive: true,
  writeOnly: false,
  change: {},
  manifest: { place: 12, fields: { state: v.optional(v.literal("deleted")) } },
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
