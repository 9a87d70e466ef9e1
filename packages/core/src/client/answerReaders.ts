/**
 * How the client reads the getters' answers: one pure function per getter, from the parsed answer
 * to the domain type. RegistrarClient's getters call them, and so does `regdom-bulk doctor`, so an
 * answer the client refuses is refused by doctor in the same words. A success answer that lacks
 * what the getter needs is an ApiError for the domain, never a default.
 */
import { ApiError } from "../errors.js";
import { type Answer, excerptOf, numericList, parsePriority } from "../wire/answer.js";
import { type ContactSet, type DnsRecord, type Forwarding, isKnownDnsType, isMxLike, type SyncInfo } from "./types.js";

export function str(v: unknown): string {
  return v === null || v === undefined ? "" : String(v);
}

/** A field the answer carries: present and not null. */
function has(a: Record<string, unknown>, key: string): boolean {
  return a[key] !== undefined && a[key] !== null;
}

/** A success answer that lacks what the getter needs: an error for the domain, never a default. */
function lacking(action: string, domain: string, what: string, answer: unknown): ApiError {
  const excerpt = excerptOf(JSON.stringify(answer) ?? String(answer));
  return new ApiError(`${what}: ${excerpt}`, { action, domain, excerpt });
}

export function boolish(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "boolean") return v;
  return /^(1|true|yes)$/i.test(String(v));
}

/** The key of the registrant in a contact set (the registrar's spelling, any case). */
export function registrantKey(set: ContactSet): string | undefined {
  return Object.keys(set).find((k) => k.toLowerCase() === "registrant");
}

/**
 * A GetNameservers answer: the nameservers in the registrar's order (`nsN`, else `nameserverN`,
 * N = 1..5). Fields all empty: none. No field at all says nothing, and is refused.
 * @throws ApiError when a field is not a host name, or the answer has no nameserver field
 */
export function readNameservers(a: Answer, domain: string): string[] {
  const out: string[] = [];
  let fields = 0;
  for (let i = 1; i <= 5; i++) {
    const key = has(a, `ns${i}`) ? `ns${i}` : `nameserver${i}`;
    if (!has(a, key)) continue;
    fields++;
    const v = a[key];
    if (typeof v !== "string" && typeof v !== "number")
      throw lacking("GetNameservers", domain, `${key} is not a host name`, a);
    const name = String(v).trim();
    if (name) out.push(name);
  }
  // No nameserver field at all is an answer that says nothing, not "no nameservers".
  if (fields === 0) throw lacking("GetNameservers", domain, "answered without nameservers (ns1..ns5)", a);
  return out;
}

/**
 * A GetEPPCode answer: the code, or `null` when there is none (the documented "e-mailed to the
 * registrant").
 * @throws ApiError when eppcode is not text
 */
export function readEppCode(a: Answer, domain: string): string | null {
  const v = Array.isArray(a.eppcode) ? a.eppcode[0] : a.eppcode;
  if (v !== undefined && v !== null && typeof v !== "string" && typeof v !== "number")
    throw lacking("GetEPPCode", domain, "eppcode is not text", a);
  const s = str(v);
  return s === "" ? null : s;
}

/**
 * A DomainGetLockingStatus answer: locked or not, or `null` when the registrar offers no lock for
 * the domain (`lockstatus: "Unknown"`).
 * @throws ApiError when lockstatus is missing or is not one of locked/unlocked/1/0/true/false/unknown
 */
export function readLockStatus(a: Answer, domain: string): boolean | null {
  const s = str(a.lockstatus).trim().toLowerCase();
  // Without lockstatus the answer says nothing: never read it as "unlocked" (a rollback would
  // then unlock a locked domain).
  if (s === "") throw lacking("DomainGetLockingStatus", domain, "answered without lockstatus", a);
  if (s === "unknown") return null;
  if (s === "locked" || s === "1" || s === "true") return true;
  if (s === "unlocked" || s === "0" || s === "false") return false;
  throw new ApiError(`unknown lockstatus ${JSON.stringify(s)}`, { action: "DomainGetLockingStatus", domain });
}

/**
 * A GetContactDetails answer: every contact type it holds (each an object of fields), as read.
 * @throws ApiError when it holds no Registrant object
 */
export function readContacts(a: Answer, domain: string): ContactSet {
  const out: ContactSet = {};
  for (const [type, fields] of Object.entries(a)) {
    if (type === "result" || type === "msg" || !fields || typeof fields !== "object" || Array.isArray(fields)) continue;
    out[type] = Object.fromEntries(Object.entries(fields as Record<string, unknown>).map(([k, v]) => [k, str(v)]));
  }
  if (!registrantKey(out)) {
    const excerpt = excerptOf(JSON.stringify(a));
    throw new ApiError(`the answer holds no Registrant contact: ${excerpt}`, {
      action: "GetContactDetails",
      domain,
      excerpt,
    });
  }
  return out;
}

/**
 * A GetDNS answer: the whole zone. Records of types regdom does not check are returned verbatim.
 * @throws ApiError when an element cannot be read (not an object, no type, no hostname, no address,
 *   an MX without its priority): a zone that cannot be read whole is never read as shorter
 */
export function readDns(a: Answer, domain: string): DnsRecord[] {
  return numericList(a).map((r): DnsRecord => {
    const rec = r && typeof r === "object" && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
    const rawType = rec ? str(rec.type).trim() : "";
    if (!rec || rawType === "") {
      const excerpt = excerptOf(JSON.stringify(r) ?? String(r));
      throw new ApiError(`a zone element cannot be read (${rec ? "it has no type" : "not an object"}): ${excerpt}`, {
        action: "GetDNS",
        domain,
        excerpt,
      });
    }
    const known = isKnownDnsType(rawType.toUpperCase());
    // A record without its host is not the apex, one without its address is not empty (in
    // WHMCS an empty address deletes the record), and an MX without its priority is not 0.
    const host = has(rec, "hostname") ? rec.hostname : rec.host;
    if (host === undefined || host === null || typeof host === "object")
      throw lacking("GetDNS", domain, "a zone element has no hostname", r);
    if (!has(rec, "address") || typeof rec.address === "object")
      throw lacking("GetDNS", domain, "a zone element has no address", r);
    if (isMxLike(rawType.toUpperCase()) && parsePriority(rec.priority) === null)
      throw lacking("GetDNS", domain, `a zone element of type ${rawType} has no priority`, r);
    return {
      host: str(host) || "@",
      type: rawType,
      address: str(rec.address),
      priority: !known || isMxLike(rawType.toUpperCase()) ? parsePriority(rec.priority) : null,
    };
  });
}

/**
 * A GetEmailForwarding answer: the forwardings (an element with both fields empty is none).
 * @throws ApiError when an element is not an object, or lacks its prefix or forwardto
 */
export function readEmailForwarding(a: Answer, domain: string): Forwarding[] {
  return numericList(a).flatMap((r): Forwarding[] => {
    if (!r || typeof r !== "object" || Array.isArray(r)) {
      const excerpt = excerptOf(JSON.stringify(r) ?? String(r));
      throw new ApiError(`a forwarding element cannot be read (not an object): ${excerpt}`, {
        action: "GetEmailForwarding",
        domain,
        excerpt,
      });
    }
    const rec = r as Record<string, unknown>;
    // An element without one of its two fields is neither skipped nor half read.
    if (!has(rec, "prefix") || typeof rec.prefix === "object")
      throw lacking("GetEmailForwarding", domain, "a forwarding element has no prefix", r);
    const target = has(rec, "forwardto") ? rec.forwardto : rec.to;
    if (target === undefined || target === null || typeof target === "object")
      throw lacking("GetEmailForwarding", domain, "a forwarding element has no forwardto", r);
    const prefix = str(rec.prefix);
    const to = str(target);
    return prefix || to ? [{ prefix, to }] : [];
  });
}

/**
 * A Sync answer: status and expiry date. The reference's Sync shows only `result`: an absent
 * expiry stays unknown (callers that need it refuse the domain).
 * @throws ApiError when an expiry date is there and is not a date (never dropped)
 */
export function readSync(a: Answer, domain: string): SyncInfo {
  const out: SyncInfo = {};
  if (a.status !== undefined) out.status = str(a.status);
  const rawExp = a.expirydate ?? a.expiryDate ?? a.expiry_date;
  if (rawExp !== undefined && rawExp !== null && rawExp !== "") {
    const exp = str(rawExp);
    if (!/^\d{4}-\d{2}-\d{2}/.test(exp))
      throw lacking("Sync", domain, `expirydate ${JSON.stringify(exp)} is not a date`, a);
    out.expiryDate = exp.slice(0, 10);
  }
  const active = boolish(a.active);
  if (active !== undefined) out.active = active;
  const expired = boolish(a.expired);
  if (expired !== undefined) out.expired = expired;
  const away = boolish(a.transferredAway);
  if (away !== undefined) out.transferredAway = away;
  return out;
}
