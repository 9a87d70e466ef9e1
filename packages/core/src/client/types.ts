/** Domain types the client speaks. The wire shapes live only in client/registrarClient.ts. */
export const DNS_TYPES = ["A", "AAAA", "MX", "MXE", "CNAME", "TXT", "URL", "FRAME"] as const;
export type DnsType = (typeof DNS_TYPES)[number];

export interface DnsRecord {
  /** Relative to the domain; "@" is the apex. */
  host: string;
  type: DnsType;
  address: string;
  /** A number for MX/MXE, null otherwise. */
  priority: number | null;
}

export interface Forwarding {
  prefix: string;
  to: string;
}

export const REGISTRANT_FIELDS = ["name", "company", "address", "city", "country", "zip_code", "email", "telephone"] as const;
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
  nameservers?: string[];
  domainfields?: Record<string, string> | string[];
}

export interface TransferOptions extends RegisterOptions {
  authcode?: string;
}
