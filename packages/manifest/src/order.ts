/** Stable order for everything written, so a portfolio kept in git shows small diffs. */
import type { DesiredDomain, Manifest } from "./model.js";
import { cmp, compareForwardings, compareRecords } from "./normalize.js";

export function sortedDomains(m: Manifest): DesiredDomain[] {
  return [...m.domains.values()].sort(compareDomains).map(sortedDomain);
}

/** The order domains are written in: by ACE name. */
export const compareDomains = (a: { name: string }, b: { name: string }): number => cmp(a.name, b.name);

/** A domain with its records and forwardings in the order they are written. */
export function sortedDomain(d: DesiredDomain): DesiredDomain {
  return {
    ...d,
    ...(d.dns ? { dns: [...d.dns].sort(compareRecords) } : {}),
    ...(d.forwarding ? { forwarding: [...d.forwarding].sort(compareForwardings) } : {}),
  };
}

export function sortedOwnerNames(m: Manifest): string[] {
  return Object.keys(m.owners).sort(cmp);
}
