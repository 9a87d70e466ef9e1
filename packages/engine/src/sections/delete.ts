import type { SectionModule } from "./section.js";

export const del: SectionModule<"delete"> = {
  name: "delete",
  action: "RequestDelete",
  money: false,
  destructive: true,
  writeOnly: false,
  write: (client, d) => client.requestDelete(d.name),
  journalBefore: () => undefined,
  journalAfter: () => null,
  rollback: { irreversible: "a deleted domain cannot be restored through the API" },
};
