/**
 * Writes a domain's zone as an RFC 1035 master file that other servers accept (named-checkzone
 * passes it): $ORIGIN, $TTL, an SOA and NS lines, then the records. URL, FRAME and MXE records,
 * which no zone file can hold, are written as regdom comments that other tools ignore and
 * readZoneManifest reads back; records of types regdom does not check are written as they are.
 */
import { isIPv4, isIPv6 } from "node:net";
import { type DnsRecord, isKnownDnsType } from "@regdom/core/data";
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

/** Characters that would end a comment's line, hide in a terminal, or split a comment's fields. */
const UNSAFE_IN_COMMENT = /[\x00-\x20\x7f\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * A value as one token of a comment: control characters, white space and `\` as `\DDD` (their
 * UTF-8 bytes), as in a zone file's quoted strings; readZoneManifest decodes them back.
 */
export function commentToken(value: string): string {
  if (value === "") return '""';
  return value.replace(UNSAFE_IN_COMMENT, (c) =>
    [...Buffer.from(c, "utf8")].map((b) => `\\${String(b).padStart(3, "0")}`).join(""),
  );
}

/** Letters, digits and `_ * - .` only (a label may start with `-`: BIND warns, it still loads). */
const ZONE_NAME = /^[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*\.?$/;
/** Record data of a type carried verbatim: printable text, quotes balanced, no parentheses (they span lines). */
const VERBATIM_DATA = /^(?:[^\x00-\x1f\x7f"()\\]|\\[^\x00-\x1f\x7f]|"(?:[^\x00-\x1f\x7f"\\]|\\[^\x00-\x1f\x7f])*")+$/;

/**
 * Why a record cannot be a line of a master file that BIND loads as the same record, if it cannot:
 * registrar data is written as data, never as lines (a newline in a value would add records).
 */
function inexpressible(r: DnsRecord, cnameAlone: boolean): string | undefined {
  if (r.host !== "@" && !ZONE_NAME.test(r.host)) return "its host is not a zone-file name";
  switch (r.type) {
    case "URL":
    case "FRAME":
    case "MXE":
      return "no zone file can hold this type";
    case "A":
      return isIPv4(r.address) ? undefined : "its address is not an IPv4 address";
    case "AAAA":
      return isIPv6(r.address) ? undefined : "its address is not an IPv6 address";
    case "CNAME":
      if (r.host === "@") return "a CNAME at the apex, beside the SOA and NS (a zone file cannot hold both)";
      if (!cnameAlone) return "a CNAME beside other records at its host (a zone file cannot hold both)";
      return ZONE_NAME.test(r.address) ? undefined : "its target is not a hostname";
    case "MX":
      return ZONE_NAME.test(r.address) ? undefined : "its target is not a hostname";
    case "TXT":
      return undefined;
    default:
      if (!isKnownDnsType(r.type) && !/^[A-Z][A-Z0-9-]*$/.test(r.type)) return "its type is not a zone-file type";
      return VERBATIM_DATA.test(r.address)
        ? undefined
        : "its data has control characters, parentheses or an open quote";
  }
}

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

/** A record as the regdom comment that readZoneManifest reads back, every field one escaped token. */
function recordComment(r: DnsRecord): string {
  const address = r.type === "CNAME" && ZONE_NAME.test(r.address) ? fqdn(r.address) : r.address;
  return [
    REGDOM_RECORD_COMMENT,
    commentToken(r.host),
    commentToken(r.type),
    ...(r.priority !== null ? [String(r.priority)] : []),
    commentToken(address),
  ].join(" ");
}

/** A record a zone file keeps only as a comment, and why. */
export interface CommentedRecord {
  record: DnsRecord;
  why: string;
}

/**
 * One domain's zone file, and the records it could only keep as comments: URL/FRAME/MXE, and live
 * records that are not zone-file data (a CNAME beside other records, a value with a newline).
 */
export function writeZoneFile(
  d: DesiredDomain,
  now = new Date(),
): { text: string; commented: DnsRecord[]; inexpressible: CommentedRecord[] } {
  const serial = `${now.toISOString().slice(0, 10).replace(/-/g, "")}01`;
  const ns = (d.nameservers?.length ? d.nameservers : ["ns.invalid"]).map((n) =>
    ZONE_NAME.test(n) ? n : "ns.invalid",
  );
  const lines = [
    `; ${commentToken(d.display)}${d.display !== d.name ? ` (${d.name})` : ""}, written by regdom-export ${now.toISOString()}`,
    `$ORIGIN ${d.name}.`,
    `$TTL ${DEFAULT_TTL}`,
    `@            IN SOA   ${fqdn(ns[0]!)} hostmaster.${d.name}. ( ${serial} 3600 900 1209600 300 )`,
    ...ns.map((n) => `@            IN NS    ${fqdn(n)}`),
  ];
  const commented: DnsRecord[] = [];
  const notData: CommentedRecord[] = [];
  const records = [...(d.dns ?? [])].sort(compareRecords);
  const perHost = new Map<string, number>();
  for (const r of records) perHost.set(r.host, (perHost.get(r.host) ?? 0) + 1);
  for (const r of records) {
    // The apex also holds the SOA and NS lines written above.
    const why = inexpressible(r, perHost.get(r.host) === 1);
    if (why === undefined) {
      lines.push(recordLine(r));
      continue;
    }
    commented.push(r);
    if (r.type !== "URL" && r.type !== "FRAME" && r.type !== "MXE") notData.push({ record: r, why });
    lines.push(recordComment(r));
  }
  return { text: `${lines.join("\n")}\n`, commented, inexpressible: notData };
}

/** Every domain with a zone, as `DOMAIN.zone` (ACE name) to its text. */
export function writeZoneFiles(
  m: Manifest,
  now = new Date(),
): { files: Map<string, string>; notes: { domain: string; message: string }[] } {
  const files = new Map<string, string>();
  const notes: { domain: string; message: string }[] = [];
  for (const d of sortedDomains(m)) {
    if (!d.dns) continue;
    const written = writeZoneFile(d, now);
    files.set(`${d.name}.zone`, written.text);
    notes.push(...zoneNotes(d, written));
  }
  return { files, notes };
}

/** What to tell about a zone file that keeps records as comments, if it does. */
export function zoneNotes(
  d: DesiredDomain,
  w: Pick<ReturnType<typeof writeZoneFile>, "commented" | "inexpressible">,
): { domain: string; message: string }[] {
  const notes: { domain: string; message: string }[] = [];
  const regdomTypes = w.commented.length - w.inexpressible.length;
  // Said without the domain's own count, so that one note covers every domain it is true of.
  if (regdomTypes)
    notes.push({
      domain: d.display,
      message: `URL/FRAME/MXE records kept as "${REGDOM_RECORD_COMMENT}" comments (no zone file can hold them; regdom reads them back)`,
    });
  for (const { record: r, why } of w.inexpressible)
    notes.push({
      domain: d.display,
      message: `${r.type} record at "${commentToken(r.host)}" kept as a "${REGDOM_RECORD_COMMENT}" comment: ${why} (regdom reads it back; other servers do not see it)`,
    });
  return notes;
}
