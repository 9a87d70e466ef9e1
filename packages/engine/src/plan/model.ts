/** A plan: what apply would change, per domain, with what it read to decide. Saved as JSON. */
import type { SyncInfo } from "@regdom/core";
import type { DesiredDomain, PurchaseExtras } from "@regdom/manifest";
import type { DnssecCheck } from "../dnssec/guard.js";
// Kept in model.d.ts for its effect: the registry brings every module's entries of the maps below.
import "../sections/index.js";
import { moduleOf, sectionModules } from "../sections/index.js";

export const PLAN_VERSION = 1;

/**
 * Each section's change, as its module (sections/) declares it by augmenting this map:
 * `declare module "../plan/model.js" { interface ChangeBySection { lock: { before: …; after: … } } }`.
 * The registry (sections/index.ts) is keyed by every section here, so one declared here and not
 * registered does not compile.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the section modules' augmentations
export interface ChangeBySection {}

/**
 * Changes of sections added to the registry at run time (`registerSection`: a test's section). Kept
 * apart from ChangeBySection, whose every section the registry must hold: a test file that declares
 * its section here is in the `Change` union of the test build without asking the registry for it.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by tests' augmentations
export interface ChangeByRegisteredSection {}

type Changes = ChangeBySection & ChangeByRegisteredSection;

/** A change of one section: `section` names it and narrows to its module's own fields. */
export type Change = { [S in keyof Changes]: { section: S } & Changes[S] }[keyof Changes];

/** What a section read live holds, as its module declares it by augmenting this map (as ChangeBySection). */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the section modules' augmentations
export interface LiveBySection {}

/** What was read of a domain: only the managed sections. */
export type LiveState = {
  exists: boolean;
  /** Read for the purchases, renewal and deletion (expiry, status). */
  sync?: SyncInfo;
} & { [K in keyof LiveBySection]?: LiveBySection[K] };

export type ChangeSection = Change["section"];

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
