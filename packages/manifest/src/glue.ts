/**
 * Child nameservers (glue): a host at or under its domain, with the addresses the parent publishes
 * for it. The one validator every reader calls (`glueOf`), and the canonical forms plan compares.
 */
import { isIPv4, isIPv6 } from "node:net";
import { canonicalIPv6 } from "./normalize.js";

/** An address in its one written form (IPv6 canonical), or undefined when it is none. */
export function canonicalAddress(raw: string): string | undefined {
  const a = raw.trim();
  if (isIPv4(a)) return a;
  if (isIPv6(a) && !a.includes("%")) return canonicalIPv6(a);
  return undefined;
}

function ipv4Key(a: string): string {
  return a
    .split(".")
    .map((o) => o.padStart(3, "0"))
    .join(".");
}

function ipv6Key(a: string): string {
  // Canonical addresses have at most one `::`: expanded to eight groups of four digits.
  const [head = "", tail] = a.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.map((g) => g.padStart(4, "0")).join(":");
}

/** IPv4 before IPv6, each in numeric order. */
export function compareAddresses(a: string, b: string): number {
  const v6a = a.includes(":");
  const v6b = b.includes(":");
  if (v6a !== v6b) return v6a ? 1 : -1;
  const ka = v6a ? ipv6Key(a) : ipv4Key(a);
  const kb = v6b ? ipv6Key(b) : ipv4Key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Whether a host (ACE, lower-case) is the domain or under it: its glue is the domain's to give. */
export function underDomain(host: string, domainAce: string): boolean {
  return host === domainAce || host.endsWith(`.${domainAce}`);
}
