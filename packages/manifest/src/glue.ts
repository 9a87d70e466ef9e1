/**
 * Child nameservers (glue): a host at or under its domain, with the addresses the parent publishes
 * for it. The one validator every reader calls (`glueOf`), and the canonical forms plan compares.
 */
import { isIPv4, isIPv6 } from "node:net";
import * as f from "./fields.js";
import type { SourceRef } from "./model.js";
import { canonicalIPv6 } from "./normalize.js";
import { formatPlace } from "./place.js";
import type { Problems } from "./problems.js";

/** host (lower-case ACE) → addresses (canonical, IPv4 before IPv6, sorted). */
export type Glue = Record<string, string[]>;

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

/** One host of a domain's glue as a reader found it: the text given, and where each part was. */
export interface RawGlueHost {
  host: string;
  ref: SourceRef;
  addresses: { value: string; ref: SourceRef }[];
}

/**
 * The one validator of a domain's glue, whatever file it came from: each host a hostname strictly
 * under the domain (a registry refuses the domain itself as a child nameserver) (compared in ACE), given once, with at least one address, each an IPv4 or IPv6
 * address (written canonical, IPv4 first, each once). Problems are said at their places.
 */
export function glueOf(domain: { name: string; display: string }, hosts: RawGlueHost[], p: Problems): Glue {
  const out: Glue = {};
  const seen = new Map<string, SourceRef>();
  for (const h of hosts) {
    const ace = f.hostname(h.host, h.ref, p, "glue host");
    if (ace === undefined) continue;
    if (!underDomain(ace, domain.name)) {
      p.error(
        h.ref,
        `glue host ${ace} is not under ${domain.display}: a domain gives glue only for hosts at or under its own name (give ${ace}'s glue with the domain it is under)`,
      );
      continue;
    }
    if (ace === domain.name) {
      p.error(
        h.ref,
        `glue host ${ace} is the domain itself: a child nameserver is a host strictly under ${domain.display}, like ns1.${ace}`,
      );
      continue;
    }
    const first = seen.get(ace);
    if (first) {
      p.error(
        h.ref,
        `glue host ${ace} of ${domain.display} is given twice (first at ${placeOf(first)}); give each host once with all its addresses`,
      );
      continue;
    }
    seen.set(ace, h.ref);
    if (h.addresses.length === 0) {
      p.error(h.ref, `glue host ${ace} needs at least one address (IPv4 or IPv6), like 192.0.2.53`);
      continue;
    }
    const addresses: string[] = [];
    for (const a of h.addresses) {
      const c = canonicalAddress(a.value);
      if (c === undefined)
        p.error(
          a.ref,
          `glue address "${a.value}" of ${ace} is not an IPv4 or IPv6 address, like 192.0.2.53 or 2001:db8::53`,
        );
      else if (addresses.includes(c)) p.error(a.ref, `glue address ${c} of ${ace} is given twice`);
      else addresses.push(c);
    }
    out[ace] = addresses.sort(compareAddresses);
  }
  return out;
}

const placeOf = (r: SourceRef): string => formatPlace(r);
