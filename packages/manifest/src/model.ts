/** The desired state of some domains. A section that is undefined is not managed. */
import type { DnsRecord, Forwarding, Owner, Registrant } from "@regdom/core/data";

export interface SourceRef {
  file: string;
  /** The sheet, when the file is a workbook: `line` is its row, `column` its column. */
  sheet?: string;
  line?: number;
  column?: number;
}

/** What a purchase may add to the owner: given in an owner profile, or per domain (which wins). */
export interface PurchaseExtras {
  /** Another owner profile, sent as the `admin…` fields. */
  admin?: string;
  /** TLD-specific fields (e.g. a .se holder's identification number), key by key. */
  domainfields?: Record<string, string>;
  idprotection?: boolean;
  dnsmanagement?: boolean;
  emailforwarding?: boolean;
}

export const PURCHASE_EXTRAS = ["admin", "domainfields", "idprotection", "dnsmanagement", "emailforwarding"] as const;

export interface Purchase extends PurchaseExtras {
  years: number;
  owner: string;
}

export interface DesiredDomain {
  /** ACE, lowercase: the key everything compares by. */
  name: string;
  /** Unicode, for people. */
  display: string;
  source: SourceRef;
  nameservers?: string[];
  lock?: boolean;
  /** Write-only: the API has no getter, so it is asserted on every apply. */
  autorenew?: boolean;
  /** Write-only (IDProtectToggle, beyond the reference): no getter, so it is asserted on every apply. */
  idprotection?: boolean;
  registrant?: Registrant;
  dns?: DnsRecord[];
  /** Live records this domain's zone leaves alone (the manifest-wide rules are added at load). */
  dnsIgnore?: IgnoreRule[];
  forwarding?: Forwarding[];
  /**
   * Child nameservers (glue) under the domain: host (lower-case ACE, at or under the domain) →
   * its addresses (canonical, IPv4 before IPv6, sorted; at least one).
   */
  glue?: Record<string, string[]>;
  /** YYYY-MM-DD: renew (money) only while Sync's expiry is earlier. */
  expiresNotBefore?: string;
  register?: Purchase;
  transfer?: Purchase & { authcode?: string };
  state?: "deleted";
  /** Read-only facts an export may add (`--with-status`); read and ignored. */
  info?: {
    status?: string;
    expires?: string;
    eppcode?: string;
    /** The DNSSEC state read at export (`--with-dnssec`): `unsigned`, `signed DS …`, or `broken …`. */
    dnssec?: string;
    /** Contact types beside the registrant (Admin, Tech, Billing) as read; never written back from here. */
    contacts?: Record<string, Record<string, string>>;
  };
}

/** Live records regdom leaves alone (managed elsewhere: ACME challenges, another team's records). */
export interface IgnoreRule {
  /** A glob on the record's host, relative to the domain: `*` any run of characters, `?` one. */
  host: string;
  /** Only records of this type; any type when absent. */
  type?: string;
}

export interface Manifest {
  owners: Record<string, Owner>;
  domains: Map<string, DesiredDomain>;
  /** Purchase extras of owner profiles (domainfields, flags, admin), by profile name. */
  ownerExtras: Record<string, PurchaseExtras>;
  /** dns_ignore rules for every domain (given at the top of a YAML manifest, or with domain `*` in CSV). */
  dnsIgnore: IgnoreRule[];
}

export const SECTIONS = [
  "nameservers",
  "lock",
  "autorenew",
  "idprotection",
  "registrant",
  "dns",
  "forwarding",
  "lifecycle",
] as const;
export type Section = (typeof SECTIONS)[number];

export function emptyManifest(): Manifest {
  return { owners: {}, domains: new Map(), dnsIgnore: [], ownerExtras: {} };
}

/** The model's fields of each section a file can give (register and transfer are one: lifecycle). */
export const SECTION_FIELDS = [
  ["nameservers", ["nameservers"]],
  ["lock", ["lock"]],
  ["autorenew", ["autorenew"]],
  ["idprotection", ["idprotection"]],
  ["expires_not_before", ["expiresNotBefore"]],
  ["state", ["state"]],
  ["dns", ["dns"]],
  ["dns_ignore", ["dnsIgnore"]],
  ["forwarding", ["forwarding"]],
  ["glue", ["glue"]],
  ["registrant", ["registrant"]],
  ["lifecycle", ["register", "transfer"]],
] as const satisfies readonly (readonly [string, readonly (keyof DesiredDomain)[]])[];

/** Whether a domain already holds a section (several files may describe a domain, each section once). */
export function sectionGiven(d: DesiredDomain, section: string): boolean {
  const fields = FIELDS_OF.get(section);
  return fields?.some((k) => d[k] !== undefined) ?? false;
}
const FIELDS_OF = new Map<string, readonly (keyof DesiredDomain)[]>(SECTION_FIELDS);

/** Whether a rule covers a record: its host glob (case-insensitive) and, when given, its type. */
export function ignoredBy(rules: readonly IgnoreRule[], r: { host: string; type: string }): boolean {
  return ruleCovering(rules, r) !== undefined;
}

/** The first rule that covers a record, if any. */
export function ruleCovering(rules: readonly IgnoreRule[], r: { host: string; type: string }): IgnoreRule | undefined {
  return rules.find(
    (rule) => (!rule.type || rule.type.toUpperCase() === r.type.toUpperCase()) && globMatch(rule.host, r.host),
  );
}

/**
 * Where each dns_ignore rule and each zone's records were read, kept beside the model (not in it,
 * so plans and writers never see them): checks that span files name both places.
 */
export const ruleSources = new WeakMap<IgnoreRule, SourceRef>();
export const zoneSources = new WeakMap<readonly DnsRecord[], (index: number) => SourceRef>();
/** Where a purchase's owner was named (register or transfer), for the check that the profile exists. */
export const purchaseSources = new WeakMap<Purchase, SourceRef>();

const globs = new Map<string, RegExp>();
function globMatch(glob: string, host: string): boolean {
  let re = globs.get(glob);
  if (!re) {
    const body = glob
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    globs.set(glob, re);
  }
  return re.test(host.toLowerCase());
}
