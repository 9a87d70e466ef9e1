/** Domain types the client speaks. The wire shapes live only in client/registrarClient.ts. */
export const DNS_TYPES = ["A", "AAAA", "MX", "MXE", "CNAME", "TXT", "URL", "FRAME"] as const;
export type DnsType = (typeof DNS_TYPES)[number];

/**
 * One record of a zone. `type` is one of DNS_TYPES, which regdom checks and normalizes, or any
 * other type the registrar holds (SRV, CAA, NS, SPF, …): those are carried
 * verbatim, so that SaveDNS (which replaces the whole zone) never drops what it did not understand.
 */
export interface DnsRecord {
  /** Relative to the domain; "@" is the apex. */
  host: string;
  type: DnsType | (string & {});
  address: string;
  /** A number for MX/MXE; for other types null, or the number the registrar gave (kept as read). */
  priority: number | null;
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(DNS_TYPES);

/** One of the eight types regdom checks, spelled as DNS_TYPES spells them (upper case). */
export function isKnownDnsType(type: string): type is DnsType {
  return KNOWN_TYPES.has(type);
}

/** MX and MXE carry a priority; the only types that do among the known ones. */
export function isMxLike(type: string): boolean {
  return type === "MX" || type === "MXE";
}

/**
 * Contact sets as the registrar holds them: contact type (Registrant, Admin, Tech, Billing, …) to
 * its fields, with the wire's own keys and values as read. Types regdom does not manage are sent
 * back exactly as read whenever it saves the registrant.
 */
export type ContactSet = Record<string, Record<string, string>>;

export interface Forwarding {
  prefix: string;
  to: string;
}

export const REGISTRANT_FIELDS = [
  "name",
  "company",
  "address",
  "city",
  "country",
  "zip_code",
  "email",
  "telephone",
] as const;
export type RegistrantField = (typeof REGISTRANT_FIELDS)[number];
export type Registrant = Partial<Record<RegistrantField, string>>;

/** The owner profile that RegisterDomain / TransferDomain need. */
export const OWNER_FIELDS = [
  "firstname",
  "lastname",
  "company",
  "address1",
  "address2",
  "city",
  "state",
  "postcode",
  "country",
  "phone",
  "email",
] as const;
export type OwnerField = (typeof OWNER_FIELDS)[number];
export type Owner = Partial<Record<OwnerField, string>>;

export interface SyncInfo {
  status?: string;
  /** YYYY-MM-DD */
  expiryDate?: string;
  active?: boolean;
  expired?: boolean;
  transferredAway?: boolean;
}

export interface TransferSyncInfo {
  completed: boolean;
  failed: boolean;
  reason?: string;
  expiryDate?: string;
}

export type Availability = "free" | "occupied" | "not_valid";

export interface RegisterOptions {
  years: number;
  owner: Owner;
  /** Sent as the `admin…` fields; the registrar uses the owner when absent. */
  admin?: Owner;
  nameservers?: string[];
  /** TLD-specific fields (e.g. the identification number of a .se holder): sent as base64 PHP `serialize`. */
  domainfields?: Record<string, string> | string[];
  /** The reference's numeric flags, sent as 1 or 0 when given. */
  idprotection?: boolean;
  dnsmanagement?: boolean;
  emailforwarding?: boolean;
}

export interface TransferOptions extends RegisterOptions {
  authcode?: string;
}
