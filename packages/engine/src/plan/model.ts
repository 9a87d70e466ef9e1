/** A plan: what apply would change, per domain, with what it read to decide. Saved as JSON. */
import type { ContactSet, DnsRecord, Forwarding, Owner, Registrant, SyncInfo } from "@regdom/core";
import type { DesiredDomain, PurchaseExtras } from "@regdom/manifest";
import type { Glue } from "../dnssec/glue.js";
import type { DnssecCheck } from "../dnssec/guard.js";
import { moduleOf, sectionModules } from "../sections/index.js";

export const PLAN_VERSION = 1;

/** What was read of a domain: only the managed sections. */
export interface LiveState {
  exists: boolean;
  nameservers?: string[];
  /** `null`: the registrar offers no lock for this domain (it answers "Unknown"). */
  lock?: boolean | null;
  registrant?: Registrant;
  /** Every contact type as read, so saving the registrant sends the others back unchanged. */
  contacts?: ContactSet;
  dns?: DnsRecord[];
  forwarding?: Forwarding[];
  /** Child nameservers as the parent's referral gives them (read from DNS: the API has no getter). */
  glue?: Glue;
  /**
   * The nameservers the parent's referral names (read with glue): it publishes glue only for
   * those, so the glue of a host it does not name cannot be seen. Absent: every host counts as seen.
   */
  delegatedTo?: string[];
  sync?: SyncInfo;
}

export type Change =
  | ({ section: "register"; years: number; owner: string; profile: Owner; expiryAfter: string } & PurchaseSent)
  | ({ section: "transfer"; years: number; owner: string; profile: Owner; authcode?: string } & PurchaseSent)
  | { section: "renew"; years: number; expiry: string; target: string; expiryAfter: string }
  | { section: "delete" }
  /**
   * Child nameservers added or given new addresses, written before a nameserver change that needs
   * them. Only the hosts it touches: `before` [] for a new host.
   */
  | {
      section: "glue";
      before: Glue;
      after: Glue;
      /**
       * Hosts the parent cannot show (the domain's nameservers do not name them): their live glue is
       * unknown, so only their addresses are registered, and "already registered" counts as done.
       */
      unseen?: string[];
    }
  | { section: "nameservers"; before: string[]; after: string[] }
  /** Child nameservers removed (`after` [] each), written after the nameserver change that leaves them. */
  | { section: "glue-delete"; before: Glue; after: Glue }
  | { section: "lock"; before: boolean | null; after: boolean }
  | { section: "autorenew"; after: boolean; asserted: true }
  | { section: "idprotection"; after: boolean; asserted: true }
  | {
      section: "registrant";
      /** Only the fields that differ, before and after. */
      before: Registrant;
      after: Registrant;
      /** The whole contact set as read (empty for a new domain): sent back with `after` laid over it. */
      contacts: ContactSet;
    }
  | {
      section: "dns";
      before: DnsRecord[];
      after: DnsRecord[];
      add: DnsRecord[];
      remove: DnsRecord[];
      modify: { from: DnsRecord; to: DnsRecord }[];
      /** Live records left alone by dns_ignore: never diffed, sent back as read (they are in `after`). */
      kept?: DnsRecord[];
    }
  | { section: "forwarding"; before: Forwarding[]; after: Forwarding[]; add: Forwarding[]; remove: Forwarding[] };

export type ChangeSection = Change["section"];

/** What a purchase sends beside the owner: the owner profile's extras with the domain's laid over them. */
export interface PurchaseSent {
  admin?: string;
  adminProfile?: Owner;
  domainfields?: Record<string, string>;
  idprotection?: boolean;
  dnsmanagement?: boolean;
  emailforwarding?: boolean;
}
/** A change that costs money says for how many years: register, transfer, renew (their modules' `money`). */
export type MoneyChange = Extract<Change, { years: number }>;

/** Whether a change costs money (its section module says so): the one predicate every rule and count uses. */
export function isMoney(c: Change): c is MoneyChange {
  return moduleOf(c).money;
}

/**
 * The sections of a domain that wait for its pending transfer: those its manifest manages (by
 * their manifest keys), written by the apply after the transfer completes, the money ones last.
 * Empty for a domain that waits for nothing.
 */
export function deferredSections(d: Pick<DomainPlan, "waitingForTransfer" | "desired">): string[] {
  if (!d.waitingForTransfer) return [];
  const waiting = sectionModules().flatMap((m) => {
    const key = m.plan.waiting?.(d.desired);
    return key === undefined ? [] : [{ key, money: m.money }];
  });
  return [...waiting.filter((w) => !w.money), ...waiting.filter((w) => w.money)].map((w) => w.key);
}

export type DomainAction = "create" | "update" | "delete" | "none" | "error";

export interface DomainPlan {
  name: string;
  display: string;
  action: DomainAction;
  changes: Change[];
  /** sha256 of the live state read: apply refuses the domain when it has moved since. */
  fingerprint: string;
  /** The desired sections, so apply and resume can re-plan against fresh live state. */
  desired: DesiredDomain;
  notes: string[];
  error?: string;
  /** The domain waits for a transfer to complete: its other sections are applied after. */
  waitingForTransfer?: boolean;
  /** Set when the error is in the input (a manifest asks for what cannot be done): exit 2, not 1. */
  inputError?: boolean;
  /** The DNSSEC guard's verdict on a nameserver change (absent without one, or when not checked). */
  dnssec?: DnssecCheck;
}

export interface PlanSummary {
  domains: number;
  changed: number;
  unchanged: number;
  errors: number;
  create: number;
  update: number;
  delete: number;
  register: number;
  transfer: number;
  renew: number;
  years: number;
  writes: number;
}

/**
 * What the money lines cost, when the registrar offers pricing (GetPricing and CreditAmount are
 * beyond the reference; their answers carry no currency: amounts are the account's currency).
 */
export interface PlanMoney {
  /** false: the endpoint offers no GetPricing, so every price is unknown (never guessed). */
  pricing: boolean;
  /** One per money change, in plan order: its price ("99.00"), or null when unknown. */
  lines: { domain: string; section: MoneyChange["section"]; years: number; price: string | null }[];
  /** The sum of the known prices. */
  total: string;
  /** How many lines have no price. */
  unknown: number;
  /** The balance read (null: the endpoint offers no CreditAmount). */
  balance: string | null;
  /** The balance less the total, when both are known. */
  balanceAfter?: string;
}

export interface Plan {
  version: typeof PLAN_VERSION;
  createdAt: string;
  endpoint: string;
  manifestDigest: string;
  /** The owner profiles' purchase extras, so a saved or resumed plan re-plans purchases the same way. */
  ownerExtras?: Record<string, PurchaseExtras>;
  /** sha256 of the rest of the saved file (see renderPlanJson); absent in memory. */
  checksum?: string;
  domains: DomainPlan[];
  summary: PlanSummary;
  /** Present when the plan has money lines. */
  money?: PlanMoney;
}

/** A real change, as opposed to an assertion of a section that has no getter (a write-only module). */
export function isDrift(c: Change): boolean {
  return !moduleOf(c).writeOnly;
}
