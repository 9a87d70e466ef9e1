/**
 * Writes a domain's zone as an RFC 1035 master file that other servers accept (named-checkzone
 * passes it): $ORIGIN, $TTL, an SOA and NS lines, then the records. URL, FRAME and MXE records,
 * which no zone file can hold, are written as regdom comments that other tools ignore and
 * readZoneManifest reads back; records of types regdom does not check are written as they are.
 */
import { type DnsRecord, isKnownDnsType } from "@regdom/core";
import type { DesiredDomain, Manifest } from "./model.js";
import { compareRecords } from "./normalize.js";
import { sortedDomains } from "./order.js";
import { REGDOM_RECORD_COMMENT } from "./zoneRead.js";

const DEFAULT_TTL = 3600;

/** A TXT as quoted strings of at most 255 bytes; `"`, `\` and bytes outside printable ASCII escaped. */
export function quoteTxt(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const parts: string[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    let s = "";
    for (const b of bytes.subarray(i, i + 255)) {
      if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
      else if (b < 0x20 || b > 0x7e) s += `\\${String(b).padStart(3, "0")}`;
      else s += String.fromCharCode(b);
    }
    parts.push(`"${s}"`);
    if (bytes.length === 0) break;
  }
  return parts.join(" ");
}

const fqdn = (name: string) => (name.endsWith(".") ? name : `${name}.`);

function recordLine(r: DnsRecord): string {
  const owner = r.host.padEnd(12);
  switch (r.type) {
    case "A":
    case "AAAA":
      return `${owner} IN ${r.type.padEnd(5)} ${r.address}`;
    case "CNAME":
      return `${owner} IN CNAME ${fqdn(r.address)}`;
    case "MX":
      return `${owner} IN MX    ${r.priority ?? 10} ${fqdn(r.address)}`;
    case "TXT":
      return `${owner} IN TXT   ${quoteTxt(r.address)}`;
    default:
      // SRV, CAA and other types carried verbatim: their data is already in zone-file form.
      return `${owner} IN ${r.type.padEnd(5)} ${r.priority !== null ? `${r.priority} ` : ""}${r.address}`;
  }
}

/** One domain's zone file, and the records it could only keep as comments. */
export function writeZoneFile(d: DesiredDomain, now = new Date()): { text: string; commented: DnsRecord[] } {
  const serial = `${now.toISOString().slice(0, 10).replace(/-/g, "")}01`;
  const ns = d.nameservers?.length ? d.nameservers : ["ns.invalid"];
  const lines = [
    `; ${d.display}${d.display !== d.name ? ` (${d.name})` : ""}, written by regdom-export ${now.toISOString()}`,
    `$ORIGIN ${d.name}.`,
    `$TTL ${DEFAULT_TTL}`,
    `@            IN SOA   ${fqdn(ns[0]!)} hostmaster.${d.name}. ( ${serial} 3600 900 1209600 300 )`,
    ...ns.map((n) => `@            IN NS    ${fqdn(n)}`),
  ];
  const commented: DnsRecord[] = [];
  for (const r of [...(d.dns ?? [])].sort(compareRecords)) {
    if (r.type === "URL" || r.type === "FRAME" || r.type === "MXE") {
      commented.push(r);
      lines.push(
        `${REGDOM_RECORD_COMMENT} ${r.host} ${r.type}${r.priority !== null ? ` ${r.priority}` : ""} ${r.address}`,
      );
    } else if (isKnownDnsType(r.type) || /^[A-Z][A-Z0-9-]*$/.test(r.type)) lines.push(recordLine(r));
    else lines.push(`; not written (type "${r.type}" is not a zone-file type): ${r.host} ${r.address}`);
  }
  return { text: `${lines.join("\n")}\n`, commented };
}

/** Every domain with a zone, as `DOMAIN.zone` (ACE name) to its text. */
export function writeZoneFiles(m: Manifest, now = new Date()): { files: Map<string, string>; notes: string[] } {
  const files = new Map<string, string>();
  const notes: string[] = [];
  for (const d of sortedDomains(m)) {
    if (!d.dns) continue;
    const { text, commented } = writeZoneFile(d, now);
    files.set(`${d.name}.zone`, text);
    if (commented.length)
      notes.push(
        `${d.display}: ${commented.length} URL/FRAME/MXE record(s) kept as "${REGDOM_RECORD_COMMENT}" comments (no zone file can hold them; regdom reads them back)`,
      );
  }
  return { files, notes };
}
