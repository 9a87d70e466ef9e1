/**
 * The DNS resource record types with data that IANA has registered, from the registry "Resource
 * Record (RR) TYPEs" in "Domain Name System (DNS) Parameters",
 * https://www.iana.org/assignments/dns-parameters/dns-parameters.xhtml#dns-parameters-4 (as of
 * 2025-05). Left out are what never stands in a zone: the meta types (OPT, TKEY, TSIG, NXNAME)
 * and the query types (IXFR, AXFR, MAILB, MAILA, *). A type outside this list is a typo, not a
 * type: it is refused with the closest one, rather than sent to the registrar as written.
 */
import { DNS_TYPES } from "@regdom/core";
import { distance } from "./problems.js";

// biome-ignore format: one registry, read as a table
export const IANA_RR_TYPES: readonly string[] = [
  "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR", "HINFO", "MINFO", "MX", "TXT",
  "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP-PTR", "SIG", "KEY", "PX", "GPOS", "AAAA", "LOC", "NXT",
  "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX", "CERT", "A6", "DNAME", "SINK", "APL", "DS", "SSHFP",
  "IPSECKEY", "RRSIG", "NSEC", "DNSKEY", "DHCID", "NSEC3", "NSEC3PARAM", "TLSA", "SMIMEA", "HIP", "NINFO",
  "RKEY", "TALINK", "CDS", "CDNSKEY", "OPENPGPKEY", "CSYNC", "ZONEMD", "SVCB", "HTTPS", "DSYNC", "HHIT", "BRID",
  "SPF", "UINFO", "UID", "GID", "UNSPEC", "NID", "L32", "L64", "LP", "EUI48", "EUI64", "URI", "CAA", "AVC",
  "DOA", "AMTRELAY", "RESINFO", "WALLET", "CLA", "IPN", "TA", "DLV",
];

const REGISTERED = new Set(IANA_RR_TYPES);

/** A type registered with IANA, in any case, or in RFC 3597's generic form (`TYPE65534`). */
export function isRegisteredRrType(type: string): boolean {
  const t = type.toUpperCase();
  return REGISTERED.has(t) || /^TYPE\d{1,5}$/.test(t);
}

/** The closest type by edit distance, those regdom checks first; undefined when none is close. */
export function closestRrType(type: string): string | undefined {
  const t = type.toUpperCase();
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const o of [...DNS_TYPES, ...IANA_RR_TYPES]) {
    const d = distance(t, o);
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return bestD <= Math.max(1, Math.floor(t.length / 3)) ? best : undefined;
}

/** `(did you mean AAAA?)` with a leading space, or nothing. */
export function didYouMeanType(type: string): string {
  const near = closestRrType(type);
  return near ? ` (did you mean ${near}?)` : "";
}
