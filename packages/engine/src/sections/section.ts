/**
 * What a section of a domain is, said once: how plan reads it live, compares desired with live and
 * shows the change; which API action writes it and in what order; what a write journals before and
 * after; how rollback reads it live, compares and restores it; how export writes it; and whether it
 * is money, destructive or write-only. Plan, apply, rollback, journal decoding and export iterate
 * over the registry (index.ts) and ask the module; nothing outside sections/ compares a section's name.
 *
 * A new section is one module here, which declares its change (and, if it is read live, its live
 * value) by augmenting plan/model.ts's `ChangeBySection` (and `LiveBySection`), and its entry in the
 * registry (index.ts). TypeScript refuses a registry that misses a section of the map, and a module
 * that misses a member below or a field of its change's schema.
 */
import type { Owner, SyncInfo } from "@regdom/core";
import type { DesiredDomain, IgnoreRule, PurchaseExtras } from "@regdom/manifest";
import type * as v from "valibot";
import type { Change, ChangeSection, DomainPlan, LiveState } from "../plan/model.js";
import type { Paint } from "../plan/paint.js";
import type { DnssecOptions } from "../plan/planPortfolio.js";
import type { Registrar } from "../registrar.js";

/** What live reads need beyond the registrar: DNS (glue is read from the parent's referral). */
export interface ReadContext {
  /** The plan's resolver (the DNSSEC guard's); absent, or without a resolver: DNS cannot be read. */
  dns?: DnssecOptions;
}

export type ChangeOf<S extends ChangeSection> = Extract<Change, { section: S }>;

/** Where a domain stands when it is planned: to delete, to create (bought by this run), or held. */
type PlanPhase = "delete" | "create" | "update";

/** What a section's diff is given: the domain's desired and live state, and what purchases need. */
export interface PlanContext {
  phase: PlanPhase;
  desired: DesiredDomain;
  /** Only the sections the manifest manages were read (`{ exists: false }` while creating). */
  live: LiveState;
  owners: Record<string, Owner>;
  ownerExtras: Record<string, PurchaseExtras>;
  /** YYYY-MM-DD: the day a purchase's new expiry is counted from. */
  today: string;
  /** The domain's notes, in section order: a section adds its own (warnings start with "warning:"). */
  notes: string[];
}

/** Thrown by a section's diff: the domain cannot be planned, and its plan is this error. */
export class PlanRefusal extends Error {
  constructor(
    message: string,
    /** The manifest asks for what cannot be done (exit 2), rather than live state being unreadable. */
    readonly inputError = false,
  ) {
    super(message);
    this.name = "PlanRefusal";
  }
}

/** What a purchase says of itself, for what handles purchases alike (owners, domainfields). */
interface Purchased {
  owner: string;
  profile: Owner;
  admin?: string;
  adminProfile?: Owner;
  domainfields?: Record<string, string>;
}

/** How much of a list (a zone, a forwarding list) a change takes away or rewrites: apply's thresholds. */
interface ListShare {
  /** How the list is named in a refusal ("zone"). */
  what: string;
  /** Its entries now that are the manifest's (not left to others). */
  existing: number;
  lost: number;
  updated: number;
}

/** How plan compares, shows and counts a section. */
interface Plannable<S extends ChangeSection> {
  /**
   * The change this section needs, from desired and live (undefined: none). Each phase is the
   * module's to handle: most return undefined while deleting, write their whole value while
   * creating, and compare with live otherwise. May add notes; throws PlanRefusal for a domain
   * that cannot be planned.
   */
  diff(ctx: PlanContext): ChangeOf<S> | undefined;
  /**
   * The manifest key under which this domain manages the section, when it does: shown as waiting
   * while the domain's transfer is pending. Absent for sections that never wait (purchases, deletion).
   */
  waiting?(d: DesiredDomain): string | undefined;
}

/** The money half of a module: only a change that says for how many years may be money. */
type MoneyFlag<S extends ChangeSection> = ChangeOf<S> extends { years: number } ? boolean : false;

/** Live compared with a run's intents: as before the run, as some attempt wrote it, or changed since by another. */
export type Verdict = "before" | "written" | "other";

/** The journaled values of one section, decoded, oldest intent first. */
export interface Journaled<T> {
  before: T | undefined;
  after: T | undefined;
  /** Its outcome's note: an answer the write took as done (glue: "HOST ADDR: registered already (…)"). */
  note?: string;
}

/** How rollback puts a section back. */
export interface Restorable<T> {
  /** What a journal's `before` and `after` of this section must decode to before anything is sent. */
  readonly value: v.GenericSchema<unknown, T>;
  read(client: Registrar, domain: string, ctx: ReadContext): Promise<T>;
  classify(live: T, intents: Journaled<T>[], domain: string, ignore: IgnoreRule[]): Verdict;
  /** What goes back: the first `before`, or (dns) that with what dns_ignore leaves to others as it is now. */
  restoring?(first: T, live: T, domain: string, ignore: IgnoreRule[]): T;
  /** Why sending `value` over `live` must not be done (glue: deleting a host the nameservers name now); undefined: it may. */
  refuse?(value: T, live: T, domain: string): string | undefined;
  /**
   * Whether a write from `before` to `after` is one API call, so a failed one did nothing and is not
   * undone (default: every write is one call). Glue sends one call per address or host.
   */
  atomic?(before: T, after: T): boolean;
  /** Sends `value` back; `live` is what was read just before (glue sends only the difference). */
  restore(client: Registrar, domain: string, value: T, live: T): Promise<void>;
}

export interface SectionModule<S extends ChangeSection, T = unknown> {
  readonly name: S;
  /** The API action a write sends. */
  readonly action: string;
  /** Costs money (register, transfer, renew): priced, counted, reconciled, never resent; nothing after a failed one is sent. */
  readonly money: MoneyFlag<S>;
  /** Cannot be undone through the API (a deletion): needs --allow-delete; nothing after a failed one is sent. */
  readonly destructive: boolean;
  /** No getter: written without a known before, asserted on every run rather than drift (autorenew, idprotection). */
  readonly writeOnly: boolean;
  /**
   * Its change's fields as a saved plan holds them (without `section`), in the order plan writes
   * them: `apply --plan` decodes plan.json's changes with them, and re-writes them in this order.
   */
  readonly change: { readonly [K in Exclude<keyof ChangeOf<S>, "section">]-?: v.GenericSchema };
  /**
   * Its manifest keys as a saved plan's `desired` holds them, and their place among the desired's
   * keys (decoding puts them in this order, as saved plans have always listed them). Absent for a
   * section the manifest does not name (glue-delete).
   */
  readonly manifest?: { readonly place: number; readonly fields: v.ObjectEntries };

  // --- plan ---
  /** How plan reads it live: whether a desired domain manages it, the getter into LiveState, and what of it the fingerprint holds. */
  readonly live?: {
    managed(d: DesiredDomain): boolean;
    /**
     * Read in a second round, after the managed sections, when what they read asks for it although
     * the section is not managed (glue, for a nameserver change to hosts under the domain).
     */
    neededBy?(d: DesiredDomain, live: LiveState): boolean;
    read(client: Registrar, domain: string, into: LiveState, ctx: ReadContext): Promise<void>;
    /** The normalized live value the plan's fingerprint digests (undefined: not read); records left to others excluded. */
    fingerprint(live: LiveState, domain: string, ignore: readonly IgnoreRule[] | undefined): unknown;
  };
  readonly plan: Plannable<S>;
  /**
   * The plan's lines for a change, each coloured through `paint` (which also escapes control
   * characters): `+` added, `-` removed, `~` changed, indented for an assertion. `money` is the
   * money mark to show ("[money: 99.00]").
   */
  show(c: ChangeOf<S>, paint: Paint, money: string): string[];
  /** The change as shown rather than saved: secrets hidden (a transfer's auth code). */
  shown?(c: ChangeOf<S>, hidden: string): ChangeOf<S>;
  /** The change as a saved plan's is compared with a fresh one's (what dns_ignore leaves out). */
  comparable?(c: ChangeOf<S>, ignore: readonly IgnoreRule[] | undefined, domain: string): ChangeOf<S>;
  /** The nameservers the change delegates the domain to: the DNSSEC guard checks them. */
  delegates?(c: ChangeOf<S>): string[];
  /**
   * The nameservers a change moves to other addresses while the domain keeps naming them (glue of
   * hosts under it): the DNSSEC guard checks them at their new addresses when no change delegates.
   */
  moves?(c: ChangeOf<S>, d: DesiredDomain): string[] | undefined;
  /** For a list section: how much of it the change removes and rewrites (apply's --max-*-pct). */
  share?(c: ChangeOf<S>): ListShare;
  /** For a money change: the expiry before and after, as the HTML money table shows them. */
  expiry?(c: ChangeOf<S>): { before: string; after: string };

  // --- apply ---
  /** A purchase: the domain exists after it; what it carries (`carried`) is not written again, and rollback of the domain's other sections has no earlier value. */
  purchase?(c: ChangeOf<S>): Purchased;
  /** Sent by the domain's purchase already (nameservers): skipped after a purchase in the same run. */
  carried?(d: DomainPlan): boolean;
  /** Not sent when a write of one of these sections failed for the domain (what it depends on). */
  readonly requires?: readonly ChangeSection[];
  /** What a change deletes beside a whole domain, named for `--allow-delete`'s refusal (glue hosts). */
  deleted?(c: ChangeOf<S>): string[];
  /** Sends the change; what it returns with a note (an answer taken as done) goes into the journal's outcome. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most writes return nothing (Promise<void>); glue may say a note
  write(client: Registrar, d: DomainPlan, c: ChangeOf<S>): Promise<void | { note: string }>;
  /**
   * After a write of unknown outcome, whether it happened, from Sync (undefined: the domain is not
   * found); undefined when that cannot tell. Default: it happened if the domain exists.
   */
  happened?(c: ChangeOf<S>, sync: SyncInfo | undefined): boolean | undefined;
  /** After a successful write: what the domain now waits for (a pending transfer), so the rest is left to a later apply. */
  settle?(
    client: Registrar,
    d: DomainPlan,
    c: ChangeOf<S>,
  ): Promise<{ action: string; waitsFor: string; note: string } | undefined>;
  /** What the journal's intent holds as `before` and `after` (byte-for-byte what journals always held). */
  journalBefore(c: ChangeOf<S>): unknown;
  journalAfter(c: ChangeOf<S>): unknown;
  /** The rules whose records a write left as they were (dns_ignore), journaled so rollback leaves them too. */
  journalIgnore?(d: DomainPlan): IgnoreRule[] | undefined;

  // --- rollback ---
  /** How rollback restores it, or why it cannot. */
  readonly rollback: Restorable<T> | { readonly irreversible: string };
  /** How export writes it (its live value, as `live` read it, as the manifest value), or why it is not exported. */
  readonly export: Exported | { readonly notExported: string };
}

/** A section export reads: `live` reads it, this puts it in the exported domain. */
export interface Exported {
  /** Its place in the export's list of sections (`--sections`, meta.json), as exports have always listed them. */
  readonly place: number;
  /**
   * Read only when an export asks for it (`--with-glue`), never by default: it reads DNS, not the
   * registrar. A read that fails leaves it out of the domain (unmanaged) with a warning naming the
   * domain, rather than failing the domain.
   */
  readonly optIn?: true;
  /** Sets the manifest value from the live state; what bulk would question is said in `warnings`, as `display: …`. */
  toManifest(live: LiveState, d: DesiredDomain, warnings: string[]): void;
}

/** Compares by a canonical text: live equal to the first before is "before", equal to anything journaled is "written". */
export function classifyBy<T>(
  canonical: (value: T, domain: string, ignore: IgnoreRule[]) => string,
): Restorable<T>["classify"] {
  return (live, intents, domain, ignore) => {
    const now = canonical(live, domain, ignore);
    const first = intents[0]?.before;
    if (first !== undefined && now === canonical(first, domain, ignore)) return "before";
    const seen = intents.flatMap((i) => [i.after, i.before]).filter((x): x is T => x !== undefined);
    return seen.some((x) => canonical(x, domain, ignore) === now) ? "written" : "other";
  };
}
