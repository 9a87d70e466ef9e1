/**
 * One canonical form for everything that is compared, so that plans carry no noise: the most
 * reported pain of octoDNS and DNSControl users is TXT quoting, trailing dots and case.
 */
import { isIPv6 } from "node:net";
import { type DnsRecord, type Forwarding, isKnownDnsType, isMxLike, type Registrant, toAce } from "@regdom/core/data";

export function normalizeHostname(name: string): string {
  return toAce(name.trim());
}

/** Hosts relative to the domain; `@`, empty and the domain itself are the apex. */
export function normalizeHost(host: string, domainAce: string): string {
  let h = host.trim().toLowerCase().replace(/\.$/, "");
  if (h === "" || h === "@" || h === domainAce) return "@";
  if (h.endsWith(`.${domainAce}`)) h = h.slice(0, -(domainAce.length + 1));
  return h
    .split(".")
    .map((l) => (l === "*" || /^[\x21-\x7e]*$/.test(l) ? l : toAce(l) || l))
    .join(".");
}

/** The WHATWG form of a valid IPv6 address: lowercase, no leading zeros, the longest zero run as `::`. */
export function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]`).hostname.slice(1, -1);
}

/**
 * TXT without the quotes people and zone files put around it, nor the spaces outside them. Every
 * layer goes, so that the form is a fixed point: `""a""` and `" a "` compare equal to `a`.
 */
export function unquoteTxt(v: string): string {
  let t = v.trim();
  while (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1).trim();
  return t;
}

export function normalizeRecord(r: DnsRecord, domainAce: string): DnsRecord {
  // Known types compare in any case (a panel's `txt` is a TXT record). A type regdom does not
  // check is carried verbatim: only its host is put in relative form.
  const type = r.type.toUpperCase();
  if (!isKnownDnsType(type))
    return { host: normalizeHost(r.host, domainAce), type: r.type, address: r.address.trim(), priority: r.priority };
  let address = r.address.trim();
  switch (type) {
    case "CNAME":
    case "MX":
      address = normalizeHostname(address) || address.toLowerCase();
      break;
    case "AAAA":
      if (isIPv6(address)) address = canonicalIPv6(address);
      break;
    case "TXT":
      address = unquoteTxt(address);
      break;
  }
  return { host: normalizeHost(r.host, domainAce), type, address, priority: isMxLike(type) ? r.priority : null };
}

export function recordKey(r: DnsRecord): string {
  return `${r.host}\u0000${r.type}\u0000${r.priority ?? ""}\u0000${r.address}`;
}

export function compareRecords(a: DnsRecord, b: DnsRecord): number {
  return (
    cmp(a.host === "@" ? "" : a.host, b.host === "@" ? "" : b.host) ||
    cmp(a.type, b.type) ||
    (a.priority ?? -1) - (b.priority ?? -1) ||
    cmp(a.address, b.address)
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function normalizeForwarding(f: Forwarding): Forwarding {
  return { prefix: f.prefix.trim().toLowerCase(), to: f.to.trim().toLowerCase() };
}

export function compareForwardings(a: Forwarding, b: Forwarding): number {
  return cmp(a.prefix, b.prefix) || cmp(a.to, b.to);
}

export function normalizeRegistrant(r: Registrant): Registrant {
  const out: Registrant = {};
  for (const [k, v] of Object.entries(r) as [keyof Registrant, string | undefined][]) {
    if (v === undefined) continue;
    out[k] = k === "country" ? v.trim().toUpperCase() : v.trim();
  }
  return out;
}
