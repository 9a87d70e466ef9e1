/** Stable order for everything written, so a portfolio kept in git shows small diffs. */
import type { DesiredDomain, Manifest } from "./model.js";
import { cmp, compareForwardings, compareRecords } from "./normalize.js";

export function sortedDomains(m: Manifest): DesiredDomain[] {
  return [...m.domains.values()]
    .sort((a, b) => cmp(a.name, b.name))
    .map((d) => ({
      ...d,
      ...(d.dns ? { dns: [...d.dns].sort(compareRecords) } : {}),
      ...(d.forwarding ? { forwarding: [...d.forwarding].sort(compareForwardings) } : {}),
    }));
}

export function sortedOwnerNames(m: Manifest): string[] {
  return Object.keys(m.owners).sort(cmp);
}
