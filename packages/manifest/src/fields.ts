/**
 * Field readers shared by the YAML and CSV manifests: each checks one value, reports a located
 * problem that says what would be valid, and returns the normalized value (or undefined).
 */
import { isIPv4, isIPv6 } from "node:net";
import { DNS_TYPES, type DnsRecord, type DnsType, type Owner, toAce, toUnicode } from "@regdom/core/data";
import { COUNTRY_CODES } from "./countries.js";
import { type IgnoreRule, type PurchaseExtras, ruleSources, type SourceRef, zoneSources } from "./model.js";
import { canonicalIPv6, normalizeHost, unquoteTxt } from "./normalize.js";
import type { Problems } from "./problems.js";
import { didYouMeanType, isRegisteredRrType } from "./rrTypes.js";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const HOST_LABEL = /^(\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;
/** A label a registrar holds though the hostname rule refuses it: a hyphen at its start or end. */
const LOOSE_HOST_LABEL = /^[a-z0-9_-]{1,63}$/;
export const TXT_MAX = 2048;

export function domainName(raw: string, ref: SourceRef, p: Problems): { ace: string; display: string } | undefined {
  const name = raw.trim().replace(/\.$/, "");
  const ace = toAce(name);
  const labels = ace.split(".");
  if (
    !ace ||
    ace.length > 253 ||
    labels.length < 2 ||
    !labels.every((l) => LABEL.test(l)) ||
    /^\d+$/.test(labels.at(-1)!)
  ) {
    p.error(
      ref,
      `"${raw}" is not a valid domain name: expected labels of a-z, 0-9 and - (1-63 characters) or Unicode (IDN), like räksmörgås.se`,
    );
    return undefined;
  }
  return { ace, display: ace.includes("xn--") ? toUnicode(ace) : ace };
}

/**
 * Names that were already found valid, to their ACE form: a portfolio names the same few
 * nameservers and hosts on every domain. Only successes are kept, so a refusal is always
 * reported at its own place; cleared when full so that memory stays bounded.
 */
class ValidNames {
  private readonly names = new Map<string, string>();
  get(raw: string): string | undefined {
    return this.names.get(raw);
  }
  add(raw: string, value: string): void {
    if (this.names.size >= 4096) this.names.clear();
    this.names.set(raw, value);
  }
}

const validHostnames = new ValidNames();

export function hostname(raw: string, ref: SourceRef, p: Problems, what: string): string | undefined {
  const known = validHostnames.get(raw);
  if (known !== undefined) return known;
  const ace = toAce(raw.trim());
  if (!isHostname(ace)) {
    p.error(ref, `${what} "${raw}" is not a valid hostname: expected something like ns1.example.se`);
    return undefined;
  }
  validHostnames.add(raw, ace);
  return ace;
}

function isHostname(ace: string): boolean {
  return ace !== "" && ace.length <= 253 && ace.split(".").every((l) => LABEL.test(l) || /^[a-z0-9_-]{1,63}$/.test(l));
}

const TRUE = new Set(["true", "yes", "ja", "1", "x", "y", "on"]);
const FALSE = new Set(["false", "no", "nej", "0", "n", "off"]);

/** true/false, yes/no, ja/nej, 1/0, x; undefined for empty (not managed). */
export function bool(raw: unknown, ref: SourceRef, p: Problems, what: string): boolean | undefined {
  if (typeof raw === "boolean") return raw;
  if (raw === null || raw === undefined) return undefined;
  const s = String(raw).trim().toLowerCase();
  if (s === "") return undefined;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  p.error(ref, `${what} "${String(raw)}" is not a boolean: use true/false, yes/no, ja/nej, 1/0 or x`);
  return undefined;
}

export function date(raw: unknown, ref: SourceRef, p: Problems, what: string): string | undefined {
  const s = raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw ?? "").trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(`${s}T00:00:00Z`) : undefined;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
    p.error(ref, `${what} "${s}" is not a date: use YYYY-MM-DD, like 2028-06-01`);
    return undefined;
  }
  return s;
}

/** Registries hold a domain at most this many years ahead, and renew at most this many at a time. */
export const MAX_YEARS_AHEAD = 10;

/**
 * `expires_not_before`: a date no renewal can pass is refused here, before anything is read;
 * plan refuses one that needs more than MAX_YEARS_AHEAD years from the actual expiry.
 */
export function expiresNotBefore(
  raw: unknown,
  ref: SourceRef,
  p: Problems,
  today: string = new Date().toISOString().slice(0, 10),
): string | undefined {
  const s = date(raw, ref, p, "expires_not_before");
  if (s === undefined) return undefined;
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_YEARS_AHEAD);
  const latest = limit.toISOString().slice(0, 10);
  if (s > latest) {
    p.error(
      ref,
      `expires_not_before ${s} is more than ${MAX_YEARS_AHEAD} years ahead (latest ${latest}); registries renew at most ${MAX_YEARS_AHEAD} years`,
    );
    return undefined;
  }
  return s;
}

export function years(raw: unknown, ref: SourceRef, p: Problems): number | undefined {
  const n = typeof raw === "number" ? raw : Number(String(raw ?? "").trim());
  if (!Number.isInteger(n) || n < 1 || n > 10) {
    p.error(ref, `years "${String(raw ?? "")}" must be a whole number from 1 to 10`);
    return undefined;
  }
  return n;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function email(raw: string, ref: SourceRef, p: Problems, what = "email"): string | undefined {
  const s = raw.trim();
  const at = s.lastIndexOf("@");
  const ace = at > 0 ? `${s.slice(0, at)}@${toAce(s.slice(at + 1))}` : s;
  if (!EMAIL.test(ace)) {
    p.error(ref, `${what} "${raw}" is not an e-mail address: expected name@example.se`);
    return undefined;
  }
  return s;
}

export function phone(raw: string, ref: SourceRef, p: Problems, what = "telephone"): string | undefined {
  const s = raw.trim();
  if (!/^\+\d{1,3}\.\d{4,14}$/.test(s)) {
    // A spreadsheet that took the column for numbers dropped the + (and maybe wrote 4.67E+10).
    const hint = /^\d+([.,]\d+)?(E\+?\d+)?$/i.test(s)
      ? "; it looks like a spreadsheet turned it into a number (the + is gone): format the column as text, or use XLSX"
      : "";
    p.error(
      ref,
      `${what} "${raw}" must be +NNN.NNNNNNNNNN (country code, a dot, the number), like +46.701234567${hint}`,
    );
    return undefined;
  }
  return s;
}

/** The registrar itself answers "N/A" for a missing telephone; export writes it back as it came. */
export function registrantPhone(raw: string, ref: SourceRef, p: Problems): string | undefined {
  return raw.trim().toUpperCase() === "N/A" ? raw.trim() : phone(raw, ref, p);
}

export function country(raw: string, ref: SourceRef, p: Problems): string | undefined {
  const s = raw.trim().toUpperCase();
  if (!COUNTRY_CODES.has(s)) {
    p.error(ref, `country "${raw}" is not an ISO 3166 two-letter code, like SE, NO, DE`);
    return undefined;
  }
  return s;
}

/**
 * One field of a contact (registrant or owner profile): e-mail, telephone/phone and country are
 * checked; others are trimmed text. Returns the value to keep (the raw one when it was refused).
 */
export function contactField(key: string, raw: string, ref: SourceRef, p: Problems): string {
  switch (key) {
    case "email":
      return email(raw, ref, p) ?? raw;
    case "telephone":
      return registrantPhone(raw, ref, p) ?? raw;
    case "phone":
      return phone(raw, ref, p, "phone") ?? raw;
    case "country":
      return country(raw, ref, p) ?? raw;
    default:
      return raw.trim();
  }
}

/** Digits in a postcode, for countries whose postcodes are all digits and may begin with 0. */
const POSTCODE_DIGITS: Record<string, number> = {
  SE: 5,
  FI: 5,
  DE: 5,
  FR: 5,
  IT: 5,
  ES: 5,
  US: 5,
  NO: 4,
  DK: 4,
  AT: 4,
  CH: 4,
  BE: 4,
};

/**
 * Warns where a postcode carries the mark of a spreadsheet that read it as a number: fewer digits
 * than the country's postcodes have (01067 became 1067). The value is kept as given.
 */
export function checkPostcode(
  code: string | undefined,
  countryCode: string | undefined,
  ref: SourceRef,
  p: Problems,
): void {
  const want = countryCode ? POSTCODE_DIGITS[countryCode.trim().toUpperCase()] : undefined;
  if (!code || !want) return;
  const digits = code.replace(/\s/g, "");
  if (/^\d+$/.test(digits) && digits.length < want)
    p.warn(
      ref,
      `postcode "${code}" has ${digits.length} digits; ${countryCode} postcodes have ${want}. A spreadsheet may have dropped leading zeros: format the column as text, or use XLSX`,
    );
}

/** What RegisterDomain and TransferDomain need of an owner profile. */
const OWNER_REQUIRED = ["firstname", "lastname", "address1", "city", "postcode", "country", "phone", "email"] as const;

/** Reports each field an owner profile lacks; `what` names the profile, `refOf` locates a field. */
export function checkOwnerComplete(o: Owner, what: string, refOf: (field: string) => SourceRef, p: Problems): void {
  for (const req of OWNER_REQUIRED) {
    if (!o[req]) p.error(refOf(req), `${what} is missing ${req} (RegisterDomain and TransferDomain need it)`);
  }
}

export interface RawRecord {
  host: unknown;
  type: unknown;
  address: unknown;
  priority: unknown;
}

/** Locates a field of a record; called only when there is a problem to report. */
export type RefOf = (field: "host" | "type" | "address" | "priority") => SourceRef;

// The canonical type string is kept, not the one read: 500k records should not each hold a copy.
const TYPES = new Map<string, DnsType>(DNS_TYPES.map((t) => [t, t]));
/** Hosts without a dot (www, mail, _dmarc, *), as written, to their normalized form. */
const validHosts = new ValidNames();
/** MX targets, as written, to their ACE form. */
const mailServers = new ValidNames();

const text = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : String(v ?? fallback)).trim();

/**
 * One DNS record, checked per its type and normalized (what `normalizeRecord` gives, computed
 * once here: this runs for every row of a 500k-record manifest). `ref` locates each field.
 */
export function dnsRecord(raw: RawRecord, domainAce: string, ref: RefOf, p: Problems): DnsRecord | undefined {
  const typeText = text(raw.type);
  const type = TYPES.get(typeText.toUpperCase());
  const before = p.errors.length;
  if (type === undefined) return verbatimRecord(raw, typeText, domainAce, ref, p);
  const host = dnsHost(text(raw.host, "@"), domainAce, ref, p);
  let address = text(raw.address);
  const a = (): SourceRef => ref("address");
  switch (type) {
    case "A":
      if (!isIPv4(address)) p.error(a(), `A record address "${address}" must be an IPv4 address, like 192.0.2.10`);
      break;
    case "MXE":
      if (!isIPv4(address))
        p.error(a(), `MXE record address "${address}" must be an IPv4 address (the mail server's), like 192.0.2.25`);
      break;
    case "AAAA":
      if (!isIPv6(address)) p.error(a(), `AAAA record address "${address}" must be an IPv6 address, like 2001:db8::1`);
      else address = canonicalIPv6(address);
      break;
    case "CNAME":
    case "MX": {
      // The common cases skip the checks: www pointing at its own domain, a portfolio's few mail
      // servers. Unique CNAME targets are not memoized, since they would only churn the memo.
      if (address === domainAce) break;
      const known = type === "MX" ? mailServers.get(address) : undefined;
      if (known !== undefined) {
        address = known;
        break;
      }
      // An IPv6 address fails the hostname test by its colons; an IPv4 one would pass it.
      const ace = toAce(address);
      if (isIPv4(address) || !address.includes(".") || !isHostname(ace))
        p.error(a(), `${type} target "${address}" must be a hostname, like mail.example.se`);
      else {
        if (type === "MX") mailServers.add(address, ace);
        address = ace;
      }
      break;
    }
    case "URL":
    case "FRAME":
      if (!/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(address))
        p.error(a(), `${type} address "${address}" must be an http:// or https:// URL`);
      break;
    case "TXT":
      address = unquoteTxt(address);
      // Registrars hold empty TXTs (a panel saves one): a backup of one must read back.
      if (address === "") p.warn(a(), "TXT record text is empty: most DNS hosts refuse one; kept as written");
      else if (/^\d(\.\d+)?E\+\d+$/i.test(address))
        p.warn(
          a(),
          `TXT "${address}" is a number in exponent form: a spreadsheet may have turned a long number into it; format the column as text, or use XLSX`,
        );
      else if (address.length > TXT_MAX)
        p.error(a(), `TXT record text is ${address.length} characters; at most ${TXT_MAX}`);
      break;
  }
  let priority: number | null = null;
  const praw = raw.priority === null || raw.priority === undefined ? "" : String(raw.priority).trim();
  if (type === "MX" || type === "MXE") {
    if (!/^\d{1,5}$/.test(praw) || Number(praw) > 65535) {
      p.error(ref("priority"), `${type} record needs a priority from 0 to 65535${praw ? `, got "${praw}"` : ""}`);
    } else priority = Number(praw);
  } else if (praw !== "" && praw.toUpperCase() !== "N/A") {
    p.error(ref("priority"), `priority is only for MX and MXE records, not ${type}`);
  }
  if (p.errors.length > before || host === undefined) return undefined;
  return { host, type, address, priority };
}

/**
 * A record of a type regdom does not check (SRV, CAA, NS, SPF, …): accepted as written
 * with a warning, since the registrar's panel may hold such records and SaveDNS must send them back.
 */
function verbatimRecord(
  raw: RawRecord,
  type: string,
  domainAce: string,
  ref: RefOf,
  p: Problems,
): DnsRecord | undefined {
  if (!isRegisteredRrType(type)) {
    p.error(
      ref("type"),
      `record type "${type}" is not a DNS record type${didYouMeanType(type)}; regdom checks ${DNS_TYPES.join(", ")}, and sends other types registered with IANA (CAA, SRV, …) as written`,
    );
    return undefined;
  }
  const address = text(raw.address);
  if (address === "") {
    p.error(ref("address"), `a ${type} record needs an address`);
    return undefined;
  }
  const praw = raw.priority === null || raw.priority === undefined ? "" : String(raw.priority).trim();
  let priority: number | null = null;
  if (/^\d{1,5}$/.test(praw) && Number(praw) <= 65535) priority = Number(praw);
  else if (praw !== "" && praw.toUpperCase() !== "N/A") {
    p.error(ref("priority"), `priority "${praw}" must be a whole number from 0 to 65535, or empty`);
    return undefined;
  }
  p.warn(
    ref("type"),
    `record type ${type} is not one regdom checks (${DNS_TYPES.join(", ")}): it is sent exactly as written`,
  );
  return { host: normalizeHost(text(raw.host, "@"), domainAce), type, address, priority };
}

/** A record's host, checked and made relative to the domain; undefined when refused. */
function dnsHost(host: string, domainAce: string, ref: RefOf, p: Problems): string | undefined {
  // Without a dot a host cannot name the domain, so its normal form is the same in every zone.
  const dotless = !host.includes(".");
  if (dotless) {
    const known = validHosts.get(host);
    if (known !== undefined) return known;
  }
  const rel = host.toLowerCase().replace(/\.$/, "");
  if (rel !== "" && rel !== "@") {
    const labels = toAce(rel).split(".");
    if (!labels.every((l) => HOST_LABEL.test(l))) {
      // A hyphen at a label's edge breaks the hostname rule, but registrars hold such hosts: a
      // backup of one must read back, so it is kept with a warning.
      if (!labels.every((l) => LOOSE_HOST_LABEL.test(l))) {
        p.error(
          ref("host"),
          `host "${host}" is not valid: use @ for the apex, or a name like www, mail, *.shop, _dmarc`,
        );
        return undefined;
      }
      p.warn(
        ref("host"),
        `host "${host}" breaks the hostname rule (RFC 952/1123: a label starts and ends with a letter, digit or _); kept as written`,
      );
      return normalizeHost(host, domainAce);
    }
  }
  const normal = normalizeHost(host, domainAce);
  if (dotless) validHosts.add(host, normal);
  return normal;
}

/** Zone-wide rules: a CNAME stands alone at its host; no exact duplicates. */
export function checkZone(zone: DnsRecord[], refOf: (index: number) => SourceRef, p: Problems): void {
  // Kept for the checks across files (a record that a dns_ignore rule from another file covers).
  zoneSources.set(zone, refOf);
  if (zone.length <= 16 && smallZoneIsClean(zone)) return;
  const byHost = new Map<string, { rec: DnsRecord; i: number }[]>();
  zone.forEach((rec, i) => {
    const list = byHost.get(rec.host) ?? [];
    list.push({ rec, i });
    byHost.set(rec.host, list);
  });
  const where = (r: { i: number }) => refOf(r.i);
  for (const [host, list] of byHost) {
    const cname = list.find((r) => r.rec.type === "CNAME");
    // Both break RFC 1034 §3.6.2, but a registrar may hold them: a backup must read back, so they warn.
    if (cname && list.length > 1)
      p.warn(
        where(cname),
        `CNAME at "${host}" stands beside ${list.length - 1} other record(s) at the same host; a CNAME must be alone (RFC 1034 §3.6.2), and resolvers may answer either; kept as written`,
      );
    if (cname && host === "@")
      p.warn(
        where(cname),
        "a CNAME at the apex (@) stands beside the zone's SOA and NS (RFC 1034 §3.6.2); use A/AAAA records or a URL redirect; kept as written",
      );
    const seen = new Set<string>();
    for (const r of list) {
      const k = `${r.rec.type} ${r.rec.priority ?? ""} ${r.rec.address}`;
      if (seen.has(k)) p.error(where(r), `duplicate record ${r.rec.type} ${r.rec.address} at "${host}"`);
      seen.add(k);
    }
  }
}

/**
 * The common case, answered without building keys: most zones have a handful of records and
 * nothing wrong. When this finds anything, checkZone's full pass reports it.
 */
function smallZoneIsClean(zone: DnsRecord[]): boolean {
  for (let i = 0; i < zone.length; i++) {
    const a = zone[i]!;
    if (a.type === "CNAME" && a.host === "@") return false;
    for (let j = i + 1; j < zone.length; j++) {
      const b = zone[j]!;
      if (a.host !== b.host) continue;
      if (a.type === "CNAME" || b.type === "CNAME") return false;
      if (a.type === b.type && a.priority === b.priority && a.address === b.address) return false;
    }
  }
  return true;
}

/**
 * A forwarding's prefix (the part before @). The usual characters pass; other printable ones a
 * registrar may hold (`=1+1`) pass with a warning, since a backup must read back what it holds.
 */
export function forwardingPrefix(prefix: string, ref: SourceRef, p: Problems): boolean {
  if (/^[a-z0-9._+-]{1,64}$/i.test(prefix)) return true;
  if (!/^[^\s@"\\\p{C}]{1,64}$/u.test(prefix)) {
    p.error(ref, `forwarding prefix "${prefix}" must be the part before @ (a-z, 0-9, . _ + -)`);
    return false;
  }
  p.warn(ref, `forwarding prefix "${prefix}" has characters other than a-z, 0-9, . _ + -; kept as written`);
  return true;
}

/** A dns_ignore rule: a host glob (relative to the domain; `*` and `?`) and an optional type. */
export function ignoreRule(hostRaw: unknown, typeRaw: unknown, ref: SourceRef, p: Problems): IgnoreRule | undefined {
  const host = text(hostRaw).toLowerCase();
  const type = text(typeRaw).toUpperCase();
  if (!/^[a-z0-9_*?@.-]+$/.test(host)) {
    p.error(
      ref,
      `dns_ignore host "${host}" must be a host or a glob like "_acme-challenge*" (letters, digits, _ - . * ?)`,
    );
    return undefined;
  }
  if (type && !TYPES.has(type) && !isRegisteredRrType(type)) {
    p.error(
      ref,
      `dns_ignore type "${type}" is not a DNS record type${didYouMeanType(type)}; like TXT, or empty for any type`,
    );
    return undefined;
  }
  const rule = { host, ...(type ? { type } : {}) };
  ruleSources.set(rule, ref);
  return rule;
}

/** `key=value; key=value` (a spreadsheet cell) into domainfields; a mapping passes through. */
export function domainfields(raw: unknown, ref: SourceRef, p: Problems): Record<string, string> | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const out: Record<string, string> = {};
  if (typeof raw === "object" && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (v !== null && typeof v === "object") {
        p.error(ref, `domainfields ${k} must be a text value`);
        return undefined;
      }
      out[k] = String(v ?? "");
    }
    return out;
  }
  for (const part of String(raw).split(";")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) {
      p.error(ref, `domainfields "${String(raw)}" must be key=value pairs separated by ";", like orgnr=5566778899`);
      return undefined;
    }
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * The extras of a purchase or an owner profile (admin, domainfields, the three flags), checked:
 * one reading for YAML and CSV; `get` gives a field's raw value, `refOf` where it stands.
 */
export function purchaseExtras(
  get: (field: string) => unknown,
  refOf: (field: string) => SourceRef,
  p: Problems,
): PurchaseExtras {
  const out: PurchaseExtras = {};
  const admin = get("admin");
  if (admin !== undefined && admin !== null && admin !== "") out.admin = String(admin);
  const df = domainfields(get("domainfields"), refOf("domainfields"), p);
  if (df) out.domainfields = df;
  for (const k of ["idprotection", "dnsmanagement", "emailforwarding"] as const) {
    const b = bool(get(k), refOf(k), p, k);
    if (b !== undefined) out[k] = b;
  }
  return out;
}
