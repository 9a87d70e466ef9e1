/** The desired state of some domains. A section that is undefined is not managed. */
import type { DnsRecord, Forwarding, Owner, Registrant } from "../client/types.js";

export interface SourceRef {
  file: string;
  line?: number;
  column?: number;
}

export interface Purchase {
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
  registrant?: Registrant;
  dns?: DnsRecord[];
  forwarding?: Forwarding[];
  /** YYYY-MM-DD: renew (money) only while Sync's expiry is earlier. */
  expiresNotBefore?: string;
  register?: Purchase;
  transfer?: Purchase & { authcode?: string };
  state?: "deleted";
  /** Read-only facts an export may add (`--with-status`); read and ignored. */
  info?: { status?: string; expires?: string; eppcode?: string };
}

export interface Manifest {
  owners: Record<string, Owner>;
  domains: Map<string, DesiredDomain>;
}

export const SECTIONS = ["nameservers", "lock", "autorenew", "registrant", "dns", "forwarding", "lifecycle"] as const;
export type Section = (typeof SECTIONS)[number];

export function emptyManifest(): Manifest {
  return { owners: {}, domains: new Map() };
}
